"""Who may use the plan pages and API (merged into ``tests/test_access_matrix.py``)."""

from django.utils import timezone

from polku.accounts.roles import Capability
from polku.plans.models import Party
from polku.plans.tests.factories import ParticipantFactory, PlanFactory
from tests.matrix import Page, World

PLAN = ("plan_id",)

PAGES = {
    "plans:create": Page(Capability.MANAGE_PLANS, client_specific=True),
    "plans:detail": Page(Capability.VIEW_CLIENTS, client_specific=True, kwargs=PLAN),
    "plans:edit": Page(Capability.MANAGE_PLANS, client_specific=True, kwargs=PLAN),
    "plans:review": Page(Capability.MANAGE_PLANS, client_specific=True, kwargs=PLAN),
    "plans:interrupt": Page(Capability.MANAGE_PLANS, client_specific=True, kwargs=PLAN),
    "plans:participant_add": Page(Capability.MANAGE_PLANS, client_specific=True, kwargs=PLAN),
    "plans:participant_remove": Page(
        Capability.MANAGE_PLANS,
        method="post",
        client_specific=True,
        kwargs=("plan_id", "participant_id"),
    ),
    "plans:sign": Page(
        Capability.MANAGE_PLANS,
        method="post",
        data=lambda world: {"confirmed": "on"},
        client_specific=True,
        kwargs=("plan_id", "participant_id"),
    ),
    "plans:print": Page(Capability.VIEW_CLIENTS, client_specific=True, kwargs=PLAN),
}

API_OPERATIONS = {
    ("get", "/api/v1/plans/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("get", "/api/v1/plans/{plan_id}"): Page(
        Capability.VIEW_CLIENTS, client_specific=True, kwargs=PLAN
    ),
    ("post", "/api/v1/plans/"): Page(
        Capability.MANAGE_PLANS,
        data=lambda world: {
            "client_id": world.client.pk,
            "plan_type": "coaching",
            "made_on": "2026-11-02",
        },
        client_specific=True,
    ),
    ("patch", "/api/v1/plans/{plan_id}"): Page(
        Capability.MANAGE_PLANS,
        data=lambda world: {"version": 1, "made_on": "2026-09-01", "client_tasks": "CV"},
        client_specific=True,
        kwargs=PLAN,
    ),
    ("post", "/api/v1/plans/{plan_id}/reviews"): Page(
        Capability.MANAGE_PLANS,
        data=lambda world: {
            "reviewed_on": timezone.localdate().isoformat(),
            "held_how": "phone",
            "outcome": "continues",
        },
        client_specific=True,
        kwargs=PLAN,
    ),
    ("post", "/api/v1/plans/{plan_id}/participants"): Page(
        Capability.MANAGE_PLANS,
        data=lambda world: {"party": "kela", "name": "Kelan asiantuntija"},
        client_specific=True,
        kwargs=PLAN,
    ),
    ("post", "/api/v1/plans/{plan_id}/participants/{participant_id}/remove"): Page(
        Capability.MANAGE_PLANS, client_specific=True, kwargs=("plan_id", "participant_id")
    ),
}


def objects(world: World) -> dict[str, int]:
    plan = PlanFactory.create(client=world.client)
    participant = ParticipantFactory.create(plan=plan, party=Party.CLIENT)
    return {"plan_id": plan.pk, "participant_id": participant.pk}
