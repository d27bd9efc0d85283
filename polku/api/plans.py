"""Plans (SPEC C2): the same services, selectors and access policy as the UI."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.core.choices import ContactChannel
from polku.plans import selectors, services
from polku.plans.models import Party, Plan, PlanStatus, PlanType, Review

router = Router(tags=["plans"])


class ParticipantOut(Schema):
    id: int
    user_id: int | None  # a worker of the organisation; null for an outside participant
    party: Party
    name: str
    organisation_name: str
    role: str
    signed_on: date | None


class ParticipantIn(Schema):
    """A worker of the organisation (``user_id``), or an outside person by party and name."""

    user_id: int | None = None
    party: Party | None = None
    name: str = Field("", max_length=200)
    organisation_name: str = Field("", max_length=200)
    role: str = Field("", max_length=200)


class ReviewOut(Schema):
    id: int
    reviewed_on: date
    held_how: ContactChannel
    participants: str
    notes: str
    outcome: Review.Outcome


class PlanFields(Schema):
    status: PlanStatus = PlanStatus.ACTIVE
    made_on: date
    made_how: ContactChannel = ContactChannel.IN_PERSON
    agreed_services: str = ""
    client_tasks: str = ""
    applications_standard: int | None = Field(None, ge=0, le=100)
    applications_per_month: int | None = Field(None, ge=0, le=100)
    applications_reason: str = Field("", max_length=300)
    assessment_period_ends_on: date | None = None
    requested_review_on: date | None = None


class PlanSummary(Schema):
    id: int
    client_id: int
    plan_type: PlanType
    status: PlanStatus
    made_on: date
    next_review_on: date | None
    statutory_review_on: date | None
    assessment_period_ends_on: date | None
    version: int


class PlanDetail(PlanFields, PlanSummary):
    last_reviewed_on: date | None
    ended_on: date | None
    replaced_by_id: int | None
    participants: list[ParticipantOut]
    reviews: list[ReviewOut]


class PlanCreate(PlanFields):
    client_id: int
    plan_type: PlanType


class PlanUpdate(PlanFields):
    """A partial update: only the fields sent change."""

    version: int
    made_on: date = Field(None)  # type: ignore[assignment]  # optional to send, never null


class ReviewIn(Schema):
    reviewed_on: date
    held_how: ContactChannel
    outcome: Review.Outcome
    participants: str = Field("", max_length=500)
    notes: str = ""
    next_review_requested: date | None = None


def _detail(plan: Plan) -> PlanDetail:
    summary = PlanSummary.model_validate(plan, from_attributes=True).model_dump()
    fields = PlanFields.model_validate(plan, from_attributes=True).model_dump()
    return PlanDetail(
        **{**fields, **summary},
        last_reviewed_on=plan.last_reviewed_on,
        ended_on=plan.ended_on,
        replaced_by_id=plan.replaced_by_id,
        participants=[
            ParticipantOut.model_validate(participant, from_attributes=True)
            for participant in plan.participants.all()
        ],
        reviews=[
            ReviewOut.model_validate(review, from_attributes=True) for review in plan.reviews.all()
        ],
    )


def _invalid(invalid: services.PlanInvalid) -> ApiError:
    fields = {name: [message] for name, message in invalid.errors.items()}
    return ApiError(422, "invalid", str(invalid), fields)


def _fetch(request: HttpRequest, plan_id: int) -> PlanDetail:
    plan = selectors.plan_get(
        actor=actor_of(request), plan_id=plan_id, now=timezone.now(), view="api:plan"
    )
    return _detail(plan)


@router.get("/", response=list[PlanSummary])
def list_plans(request: HttpRequest, client_id: int) -> list[Plan]:
    """A client's plans, newest first."""
    return selectors.plans_of_client(
        actor=actor_of(request), client_id=client_id, now=timezone.now(), view="api:plans"
    )


@router.get("/{plan_id}", response=PlanDetail)
def get_plan(request: HttpRequest, plan_id: int) -> PlanDetail:
    return _fetch(request, plan_id)


@router.post("/", response={201: PlanDetail})
def create_plan(request: HttpRequest, payload: PlanCreate) -> Status:
    """Make a plan; the next review date comes from the rules engine."""
    try:
        plan = services.plan_create(
            actor=actor_of(request),
            client_id=payload.client_id,
            plan_type=payload.plan_type,
            fields=payload.model_dump(exclude={"client_id", "plan_type"}),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except services.PlanInvalid as invalid:
        raise _invalid(invalid) from invalid
    return Status(201, _fetch(request, plan.pk))


@router.patch("/{plan_id}", response=PlanDetail)
def update_plan(request: HttpRequest, plan_id: int, payload: PlanUpdate) -> PlanDetail:
    """Change the fields sent; ``version`` must be the one read, else 409 with both versions."""
    try:
        services.plan_update(
            actor=actor_of(request),
            plan_id=plan_id,
            version=payload.version,
            fields=payload.model_dump(exclude={"version"}, exclude_unset=True),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except services.PlanEditConflict as clash:
        # The answer shows the saved plan: read it through the policy, which logs it
        # (the service's own read was rolled back with the refused change).
        current = selectors.plan_get(
            actor=actor_of(request), plan_id=plan_id, now=timezone.now(), view="api:plan"
        )
        raise ApiError(
            409,
            "edit_conflict",
            str(clash),
            {
                "current": PlanSummary.model_validate(current, from_attributes=True).model_dump(
                    mode="json"
                ),
                "attempted": payload.model_dump(mode="json"),
            },
        ) from clash
    except services.PlanInvalid as invalid:
        raise _invalid(invalid) from invalid
    return _fetch(request, plan_id)


@router.post("/{plan_id}/reviews", response={201: ReviewOut})
def record_review(request: HttpRequest, plan_id: int, payload: ReviewIn) -> Status:
    """Record a review; the plan's next review date is recomputed."""
    try:
        review = services.plan_review_record(
            actor=actor_of(request),
            plan_id=plan_id,
            data=services.ReviewData(**payload.model_dump()),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except services.PlanInvalid as invalid:
        raise _invalid(invalid) from invalid
    return Status(201, review)


@router.post("/{plan_id}/participants", response={201: ParticipantOut})
def add_participant(request: HttpRequest, plan_id: int, payload: ParticipantIn) -> Status:
    """Add a participant; a worker then has a care relationship while the plan is open."""
    try:
        participant = services.plan_participant_add(
            actor=actor_of(request),
            plan_id=plan_id,
            data=services.ParticipantData(**{**payload.model_dump(), "party": payload.party or ""}),
            now=timezone.now(),
        )
    except services.PlanInvalid as invalid:
        raise _invalid(invalid) from invalid
    return Status(201, participant)


@router.post("/{plan_id}/participants/{participant_id}/remove", response=PlanDetail)
def remove_participant(request: HttpRequest, plan_id: int, participant_id: int) -> PlanDetail:
    """Remove a participant who has not signed; a worker's care relationship ends."""
    try:
        services.plan_participant_remove(
            actor=actor_of(request),
            plan_id=plan_id,
            participant_id=participant_id,
            now=timezone.now(),
        )
    except services.PlanInvalid as invalid:
        raise _invalid(invalid) from invalid
    return _fetch(request, plan_id)
