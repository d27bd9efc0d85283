"""Reads of plans; every one opens the client through ``polku.access.policy`` (logged)."""

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import Membership, User
from polku.accounts.roles import ROLE_CAPABILITIES, Actor, Capability, Role
from polku.clients.models import Client
from polku.plans.models import Plan, PlanStatus
from polku.plans.review_dates import ReviewExplanation, explain, review_decision


def _plan_client_id(*, actor: Actor, plan_id: int, client_id: int | None) -> int:
    plans = Plan.objects.filter(pk=plan_id, organisation=actor.organisation)
    if client_id is not None:
        plans = plans.filter(client_id=client_id)
    found = plans.values_list("client_id", flat=True).first()
    if found is None:
        raise Http404(_("Suunnitelmaa ei löydy."))
    return found


def plan_get(
    *, actor: Actor, plan_id: int, now: datetime, view: str, client_id: int | None = None
) -> Plan:
    """One plan with its participants, reviews and interruption; the read is logged.

    Another organisation's plan is ``Http404``; a client without a care relationship is
    ``policy.NoCareRelationship``.
    """
    policy.require(actor, Capability.VIEW_CLIENTS)
    owner_id = _plan_client_id(actor=actor, plan_id=plan_id, client_id=client_id)
    client = policy.client_open(actor=actor, client_id=owner_id, now=now, view=view)
    plan = (
        Plan.objects.select_related("replaced_by", "created_by", "interruption")
        .prefetch_related("participants", "reviews__recorded_by", "replaces")
        .get(pk=plan_id)
    )
    plan.client = client
    return plan


def client_plans(*, client: Client) -> list[Plan]:
    """The plans of an already opened (and access-logged) client, newest first."""
    return list(Plan.objects.filter(client=client).order_by("-made_on", "-pk"))


def plans_of_client(*, actor: Actor, client_id: int, now: datetime, view: str) -> list[Plan]:
    client = policy.client_open(actor=actor, client_id=client_id, now=now, view=view)
    return client_plans(client=client)


def plan_review_explanation(*, plan: Plan, today: date) -> ReviewExplanation | None:
    """Why the statutory review falls when it does, as the engine explains it today."""
    if not plan.is_open:
        return None
    return explain(
        review_decision(
            plan_type=plan.plan_type,
            made_on=plan.made_on,
            last_review_on=plan.last_reviewed_on,
            as_of=today,
        )
    )


def active_plan_exists(plan_types: Iterable[str]) -> Exists:
    """``Exists`` over ``OuterRef("pk")`` of Client: the client has an active plan of a type."""
    plans: QuerySet[Plan] = Plan.objects.filter(
        client=OuterRef("pk"), status=PlanStatus.ACTIVE, plan_type__in=list(plan_types)
    )
    return Exists(plans)


def participant_workers(*, actor: Actor) -> QuerySet[User]:
    """The organisation's active workers who can take part in client work (plan participants)."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.VIEW_CLIENTS in caps]
    members = Membership.objects.filter(organisation=actor.organisation, role__in=roles)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


def participant_worker(*, actor: Actor, user_id: int) -> User | None:
    return participant_workers(actor=actor).filter(pk=user_id).first()


def participant_role_label(*, actor: Actor, user: User) -> str:
    """The worker's roles in the organisation, as the plan names them."""
    roles = Membership.objects.filter(organisation=actor.organisation, user=user).values_list(
        "role", flat=True
    )
    return ", ".join(sorted(str(Role(role).label) for role in roles))
