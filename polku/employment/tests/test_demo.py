import random
from datetime import UTC, date, datetime

from polku.accounts.models import Organisation
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.demo.context import DemoContext
from polku.employment import demo
from polku.employment.models import ObligatedEmployment, PaySubsidy, PaySubsidyClaim


def test_populate__creates_legacy_cases_subsidies_and_a_claim_once(
    organisation: Organisation,
) -> None:
    users = {
        name: UserFactory.create(username=name, memberships=[(organisation, role)])
        for name, role in (
            ("sosiaaliohjaaja", Role.SOCIAL_COUNSELLOR),
            ("valmentaja", Role.PERSONAL_COACH),
            ("toimisto", Role.OFFICE_CLERK),
        )
    }
    for year in range(1962, 1968):  # some were 57–59 before 2.9.2024
        ClientFactory.create_batch(
            3,
            organisation=organisation,
            responsible_worker=users["valmentaja"],
            birth_date=date(year, 5, 10),
        )
    ClientFactory.create_batch(
        30, organisation=organisation, responsible_worker=users["valmentaja"]
    )
    context = DemoContext(
        organisation=organisation,
        users=users,
        caseworkers=[users["valmentaja"]],
        clients=list(Client.objects.filter(organisation=organisation).order_by("pk")),
        rng=random.Random(1),
        now=datetime(2026, 11, 24, 8, tzinfo=UTC),
    )

    first = demo.populate(context)
    again = demo.populate(context)

    cases = ObligatedEmployment.objects.all()
    assert 5 <= cases.count() <= 8
    assert all(case.max_period_end < date(2024, 9, 2) for case in cases if case.status != "refused")
    assert cases.filter(status=ObligatedEmployment.Status.REFUSED).count() == 1
    starts = list(PaySubsidy.objects.values_list("start", flat=True))
    assert 15 <= len(starts) <= 25
    assert min(starts) < date(2023, 7, 1) <= max(starts)
    assert PaySubsidyClaim.objects.count() == 1
    assert "already there" in again
    assert "already there" not in first
