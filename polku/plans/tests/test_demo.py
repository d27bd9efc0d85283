import random
from datetime import UTC, datetime

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.audit.models import ChangeLogEntry
from polku.clients.models import CareAssignment
from polku.clients.tests.factories import ClientFactory
from polku.demo.context import DemoContext
from polku.plans import demo
from polku.plans.models import Participant, Plan, PlanStatus

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_populate__creates_plans_with_history_once(organisation: Organisation, coach: User) -> None:
    clients = ClientFactory.create_batch(60, organisation=organisation, responsible_worker=coach)
    context = DemoContext(
        organisation=organisation,
        users={"valmentaja": coach},
        caseworkers=[coach],
        clients=clients,
        rng=random.Random(7),
        now=NOW,
    )

    demo.populate(context)
    count = Plan.objects.count()
    demo.populate(context)

    assert 20 < count == Plan.objects.count()
    assert Plan.objects.filter(status=PlanStatus.ACTIVE, next_review_on__isnull=False).exists()
    assert ChangeLogEntry.objects.filter(event="plans.plan.created").count() == count
    for plan in Plan.objects.filter(status=PlanStatus.REPLACED):
        assert plan.replaced_by is not None
        assert plan.replaced_by.plan_type == "multisector"


def test_populate__workers_taking_part_in_open_plans_have_a_care_relationship(
    organisation: Organisation, coach: User
) -> None:
    instructor = UserFactory.create(
        username="tyovalmentaja", memberships=[(organisation, Role.WORK_COACH)]
    )
    clients = ClientFactory.create_batch(80, organisation=organisation, responsible_worker=coach)
    context = DemoContext(
        organisation=organisation,
        users={"valmentaja": coach, "tyovalmentaja": instructor},
        caseworkers=[coach],
        clients=clients,
        rng=random.Random(7),
        now=NOW,
    )

    demo.populate(context)

    coached = Participant.objects.filter(user=instructor, plan__plan_type="coaching")
    assert coached.exists()
    assigned = CareAssignment.objects.filter(basis="plan", ended_on__isnull=True)
    open_plans = {
        (p.plan.client_id, p.user_id, f"plan:{p.plan_id}")
        for p in Participant.objects.filter(user__isnull=False).select_related("plan")
        if p.plan.is_open
    }
    assert set(assigned.values_list("client_id", "worker_id", "note")) == open_plans
