import random
from datetime import UTC, datetime

from polku.accounts.models import Organisation
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.demo.context import DemoContext
from polku.service_episodes import demo
from polku.service_episodes.models import Attendance, KttContract, ReimbursementClaim


def test_populate__creates_contracts_attendance_and_a_claim_once(
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
    ClientFactory.create_batch(
        30, organisation=organisation, responsible_worker=users["sosiaaliohjaaja"]
    )
    context = DemoContext(
        organisation=organisation,
        users=users,
        caseworkers=[users["sosiaaliohjaaja"]],
        clients=list(Client.objects.filter(organisation=organisation).order_by("pk")),
        rng=random.Random(1),
        now=datetime(2026, 11, 24, 8, tzinfo=UTC),
    )

    first = demo.populate(context)
    again = demo.populate(context)

    assert KttContract.objects.count() == 30
    assert Attendance.objects.exists()
    assert ReimbursementClaim.objects.count() == 1
    assert "already there" in again
    assert "already there" not in first


def test_figures__measure_the_claim_and_the_week_grid(db: None) -> None:
    from polku.service_episodes.benchmarks import figures

    measured = figures(50)

    assert measured["ktt_claim_half_year"]["size"] == 50
    assert measured["ktt_claim_half_year"]["naive_agrees"] is True
    assert measured["ktt_attendance_week_30"]["cells"] == 150
    assert not Organisation.objects.filter(slug="benchmark-c4").exists()
