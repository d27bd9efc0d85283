import random
from datetime import UTC, datetime

from polku.access import policy
from polku.accounts.models import Organisation
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory, actor_of
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
            ("valmentaja", Role.PERSONAL_COACH),
        )
    }
    clients = ClientFactory.create_batch(
        30, organisation=organisation, responsible_worker=users["sosiaaliohjaaja"]
    )
    # The coach's clients are not yet in KTT: two of them are sent for the decision.
    ClientFactory.create_batch(3, organisation=organisation, responsible_worker=users["valmentaja"])
    context = DemoContext(
        organisation=organisation,
        users=users,
        caseworkers=[users["sosiaaliohjaaja"]],
        clients=clients,
        rng=random.Random(1),
        now=datetime(2026, 11, 24, 8, tzinfo=UTC),
    )

    first = demo.populate(context)
    again = demo.populate(context)

    assert KttContract.objects.filter(decider=None).count() == 30
    pending = KttContract.objects.filter(decider=users["sosiaaliohjaaja"], status="draft")
    assert pending.count() == 2
    assert all(
        policy.clients_visible_to(
            actor_of(users["sosiaaliohjaaja"], organisation), context.now
        ).filter(pk=contract.episode.client_id)
        for contract in pending
    )
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
