import random
from datetime import UTC, date, datetime

from polku.accounts.models import DataSharingAgreement, Organisation
from polku.accounts.roles import Role
from polku.accounts.tests.factories import OrganisationFactory, UserFactory
from polku.audit.models import DisclosureLogEntry
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.demo.context import DemoContext
from polku.ktt import demo
from polku.ktt.models import KttProvider, WorkEvaluation, WorkEvaluationVersion
from polku.service_episodes import demo as services_demo
from polku.service_episodes.models import Placement


def test_demo__shows_every_arrangement_and_evaluations_one_of_them_sent(
    organisation: Organisation,
) -> None:
    users = {
        name: UserFactory.create(username=name, memberships=[(organisation, role)])
        for name, role in (
            ("sosiaaliohjaaja", Role.SOCIAL_COUNSELLOR),
            ("tyovalmentaja", Role.WORK_COACH),
            ("ohjaaja", Role.PLACEMENT_SUPERVISOR),
            ("toimisto", Role.OFFICE_CLERK),
        )
    }
    county = OrganisationFactory.create(slug="hva", kind=Organisation.Kind.WELLBEING_COUNTY)
    DataSharingAgreement.objects.create(
        provider=organisation, recipient=county, purpose="KTT", valid_from=date(2026, 1, 1)
    )
    ClientFactory.create_batch(
        40, organisation=organisation, responsible_worker=users["sosiaaliohjaaja"]
    )
    context = DemoContext(
        organisation=organisation,
        users=users,
        caseworkers=[users["sosiaaliohjaaja"]],
        clients=list(Client.objects.filter(organisation=organisation).order_by("pk")),
        rng=random.Random(1),
        now=datetime(2026, 11, 24, 8, tzinfo=UTC),
    )
    services_demo.populate(context)

    first = demo.populate(context)
    again = demo.populate(context)

    arrangements = set(KttProvider.objects.values_list("arrangement", flat=True))
    assert arrangements == {"own_production", "purchased", "cooperation"}
    assert KttProvider.objects.filter(legal_form="company", scope="support_only").count() == 2
    assert not Placement.objects.filter(provider__isnull=True).exists()
    assert WorkEvaluation.objects.exists()
    assert WorkEvaluationVersion.objects.filter(version=2).count() == 1
    assert DisclosureLogEntry.objects.get().recipient_organisation == county
    assert "already there" in again
    assert "1 sent" in first
