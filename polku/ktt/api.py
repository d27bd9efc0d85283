"""REST API: /ktt-providers/ (with the reimbursement allocation) and /work-evaluations/.

The same services and selectors as the pages, with the same permissions; money as
strings with two decimals; a client of another organisation is 404.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from polku.access import policy
from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.clients import selectors as client_selectors
from polku.ktt import selectors, services
from polku.ktt.models import KttProvider, LegalForm, ProviderArrangement, Scope, WorkEvaluation
from polku.referrals.disclosure import ConsentRequired

router = Router()
providers = Router(tags=["ktt-providers"])
evaluations = Router(tags=["work-evaluations"])


def _invalid(invalid: services.Invalid) -> ApiError:
    fields = {name: [message] for name, message in invalid.errors.items()}
    return ApiError(422, "invalid", str(invalid), fields)


def _conflict(clash: services.EditConflict) -> ApiError:
    return ApiError(
        409, "edit_conflict", str(clash), {"current": {"version": clash.current.version}}
    )


# --------------------------------------------------------------------------- providers


class ProviderFields(Schema):
    name: str = Field(min_length=1, max_length=200)
    arrangement: ProviderArrangement
    legal_form: LegalForm
    scope: Scope = Scope.WORK_ACTIVITY
    business_id: str = Field("", max_length=9)
    procurement: str = Field("", max_length=200)
    agreement_reference: str = Field("", max_length=200)
    valid_from: date | None = None
    valid_until: date | None = None
    contact_person: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=40)
    contact_email: str = Field("", max_length=254)
    reimbursement_share: int = Field(0, ge=0, le=100)
    notes: str = ""
    active: bool = True


class ProviderOut(ProviderFields):
    id: int
    version: int
    placement_ids: list[int]


class ProviderUpdate(Schema):
    """A partial update: only the fields sent change (a dated field may be sent as null)."""

    version: int
    name: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    arrangement: ProviderArrangement = Field(None)  # type: ignore[assignment]
    legal_form: LegalForm = Field(None)  # type: ignore[assignment]
    scope: Scope = Field(None)  # type: ignore[assignment]
    business_id: str = Field(None, max_length=9)  # type: ignore[assignment]
    procurement: str = Field(None, max_length=200)  # type: ignore[assignment]
    agreement_reference: str = Field(None, max_length=200)  # type: ignore[assignment]
    valid_from: date | None = None
    valid_until: date | None = None
    contact_person: str = Field(None, max_length=200)  # type: ignore[assignment]
    contact_phone: str = Field(None, max_length=40)  # type: ignore[assignment]
    contact_email: str = Field(None, max_length=254)  # type: ignore[assignment]
    reimbursement_share: int = Field(None, ge=0, le=100)  # type: ignore[assignment]
    notes: str = Field(None)  # type: ignore[assignment]
    active: bool = Field(None)  # type: ignore[assignment]


class AllocationLineOut(Schema):
    placement_id: int | None
    placement: str | None
    provider_id: int | None
    provider: str | None
    arrangement: ProviderArrangement | None
    participants: int
    attended_days: int
    reimbursable_days: int
    reimbursement: str
    share_percent: int
    allocated: str
    retained: str


class ExplanationStep(Schema):
    text: str
    law: str | None


class AllocationOut(Schema):
    start: date
    end: date
    reimbursable_days: int
    reimbursement: str
    allocated: str
    retained: str
    lines: list[AllocationLineOut]
    explanation: list[ExplanationStep]


def _provider(provider: KttProvider) -> ProviderOut:
    return ProviderOut(
        **ProviderFields.model_validate(provider, from_attributes=True).model_dump(),
        id=provider.pk,
        version=provider.version,
        placement_ids=[placement.pk for placement in provider.placements.all()],
    )


def _data(payload: ProviderFields) -> services.ProviderData:
    return services.ProviderData(**payload.model_dump())


def _patched(provider: KttProvider, payload: ProviderUpdate) -> services.ProviderData:
    """The provider's saved values with the fields sent in the PATCH."""
    saved = {name: getattr(provider, name) for name in services.ProviderData.__dataclass_fields__}
    sent = payload.model_dump(exclude={"version"}, exclude_unset=True)
    return services.ProviderData(**{**saved, **sent})


@providers.get("/", response=list[ProviderOut])
def list_providers(request: HttpRequest) -> list[ProviderOut]:
    """Own production, purchased providers and cooperation agreements, with their placements."""
    return [_provider(provider) for provider in selectors.provider_list(actor=actor_of(request))]


@providers.post("/", response={201: ProviderOut})
def create_provider(request: HttpRequest, payload: ProviderFields) -> Status:
    """Record a provider; the rules engine refuses e.g. a company providing the work itself."""
    actor = actor_of(request)
    try:
        provider = services.provider_create(
            actor=actor, data=_data(payload), today=timezone.localdate(), now=timezone.now()
        )
    except services.Invalid as invalid:
        raise _invalid(invalid) from invalid
    return Status(201, _provider(selectors.provider_get(actor=actor, provider_id=provider.pk)))


def _money(value: Any) -> str:
    return f"{value:.2f}"


@providers.get("/allocation", response=AllocationOut)
def allocation(request: HttpRequest, start: date, end: date) -> AllocationOut:
    """The period's state reimbursement per hosting unit and the share allocated to each."""
    if end < start:
        raise ApiError(400, "invalid_period", "end is before start", {"end": ["before start"]})
    report = selectors.allocation_report(
        actor=actor_of(request), start=start, end=end, today=timezone.localdate()
    )
    return AllocationOut(
        start=report.start,
        end=report.end,
        reimbursable_days=report.reimbursable_days,
        reimbursement=_money(report.reimbursement),
        allocated=_money(report.allocated),
        retained=_money(report.retained),
        lines=[
            AllocationLineOut(
                placement_id=row.placement.pk if row.placement else None,
                placement=row.placement.name if row.placement else None,
                provider_id=row.placement.provider_id if row.placement else None,
                provider=row.placement.provider.name if row.placement else None,
                arrangement=ProviderArrangement(row.line.arrangement.value)
                if row.line.arrangement
                else None,
                participants=row.line.participants,
                attended_days=row.line.attended_days,
                reimbursable_days=row.line.reimbursable_days,
                reimbursement=_money(row.line.reimbursement),
                share_percent=row.line.share_percent,
                allocated=_money(row.line.allocated),
                retained=_money(row.line.retained),
            )
            for row in report.rows
        ],
        explanation=[ExplanationStep(text=step.text, law=step.law) for step in report.steps],
    )


@providers.get("/{provider_id}", response=ProviderOut)
def get_provider(request: HttpRequest, provider_id: int) -> ProviderOut:
    return _provider(selectors.provider_get(actor=actor_of(request), provider_id=provider_id))


@providers.patch("/{provider_id}", response=ProviderOut)
def update_provider(request: HttpRequest, provider_id: int, payload: ProviderUpdate) -> ProviderOut:
    """Change the fields sent; ``version`` must be the one read, else 409."""
    actor = actor_of(request)
    provider = selectors.provider_get(actor=actor, provider_id=provider_id)
    try:
        services.provider_update(
            actor=actor,
            provider_id=provider_id,
            version=payload.version,
            data=_patched(provider, payload),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except services.Invalid as invalid:
        raise _invalid(invalid) from invalid
    except services.EditConflict as clash:
        raise _conflict(clash) from clash
    return _provider(selectors.provider_get(actor=actor, provider_id=provider_id))


# ------------------------------------------------------------------- work evaluations


class AttendanceOut(Schema):
    present: int
    sick: int
    excused: int
    unexcused: int
    marked: int
    present_percent: int | None
    days_per_week: int


class EvaluationFields(Schema):
    period_start: date
    period_end: date
    work_tasks: str = Field(min_length=1)
    working_skills: str = Field(min_length=1)
    social_skills: str = Field(min_length=1)
    strengths: str = Field(min_length=1)
    support_needs: str = Field(min_length=1)
    recommendation: str = Field(min_length=1)
    punctuality: str = ""
    work_ability_observations: str = ""
    client_view: str = ""


class EvaluationIn(EvaluationFields):
    client_id: int
    contract_id: int


class EvaluationUpdate(Schema):
    """A partial update (a new version): only the fields sent change."""

    version: int
    contract_id: int = Field(None)  # type: ignore[assignment]
    period_start: date = Field(None)  # type: ignore[assignment]
    period_end: date = Field(None)  # type: ignore[assignment]
    work_tasks: str = Field(None, min_length=1)  # type: ignore[assignment]
    working_skills: str = Field(None, min_length=1)  # type: ignore[assignment]
    social_skills: str = Field(None, min_length=1)  # type: ignore[assignment]
    strengths: str = Field(None, min_length=1)  # type: ignore[assignment]
    support_needs: str = Field(None, min_length=1)  # type: ignore[assignment]
    recommendation: str = Field(None, min_length=1)  # type: ignore[assignment]
    punctuality: str = Field(None)  # type: ignore[assignment]
    work_ability_observations: str = Field(None)  # type: ignore[assignment]
    client_view: str = Field(None)  # type: ignore[assignment]


class VersionOut(Schema):
    version: int
    saved_at: datetime
    saved_by: str
    attendance: AttendanceOut


class EvaluationOut(EvaluationFields):
    id: int
    client_id: int
    contract_id: int
    version: int
    versions: list[VersionOut]


class SendIn(Schema):
    version: int
    recipient_id: int
    recipient_person: str = Field("", max_length=150)


class SentOut(Schema):
    evaluation_id: int
    version: int
    recipient_id: int


def _evaluation(evaluation: WorkEvaluation) -> EvaluationOut:
    return EvaluationOut(
        **EvaluationFields.model_validate(evaluation, from_attributes=True).model_dump(),
        id=evaluation.pk,
        client_id=evaluation.client_id,
        contract_id=evaluation.contract_id,
        version=evaluation.version,
        versions=[
            VersionOut(
                version=version.version,
                saved_at=version.saved_at,
                saved_by=str(version.saved_by),
                attendance=AttendanceOut(**version.content["attendance"]),
            )
            for version in selectors.evaluation_versions(evaluation=evaluation)
        ],
    )


def _open(request: HttpRequest, client_id: int, view: str) -> Any:
    return client_selectors.client_get(
        actor=actor_of(request), client_id=client_id, now=timezone.now(), view=view
    )


@evaluations.get("/", response=list[EvaluationOut])
def list_evaluations(request: HttpRequest, client_id: int) -> list[EvaluationOut]:
    """The client's work evaluations with their version history."""
    client = _open(request, client_id, "api:work_evaluations")
    return [_evaluation(evaluation) for evaluation in selectors.client_evaluations(client=client)]


@evaluations.post("/", response={201: EvaluationOut})
def create_evaluation(request: HttpRequest, payload: EvaluationIn) -> Status:
    """Write a work evaluation (version 1); 422 when the contract has not started."""
    data = services.EvaluationData(**payload.model_dump(exclude={"client_id", "contract_id"}))
    policy.ensure_reachable(
        actor=actor_of(request), client_id=payload.client_id, now=timezone.now()
    )
    try:
        evaluation = services.work_evaluation_save(
            actor=actor_of(request),
            client_id=payload.client_id,
            contract_id=payload.contract_id,
            data=data,
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except services.Invalid as invalid:
        raise _invalid(invalid) from invalid
    return Status(201, _evaluation(evaluation))


def _owner(request: HttpRequest, evaluation_id: int) -> int:
    """The evaluation's client, checked reachable before any capability (another
    organisation's evaluation is 404, not 403)."""
    actor = actor_of(request)
    client_id = selectors.evaluation_client_id(actor=actor, evaluation_id=evaluation_id)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    return client_id


@evaluations.get("/{evaluation_id}", response=EvaluationOut)
def get_evaluation(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    client = _open(request, _owner(request, evaluation_id), "api:work_evaluation")
    return _evaluation(selectors.evaluation_get(client=client, evaluation_id=evaluation_id))


@evaluations.patch("/{evaluation_id}", response=EvaluationOut)
def update_evaluation(
    request: HttpRequest, evaluation_id: int, payload: EvaluationUpdate
) -> EvaluationOut:
    """Save a new version with the fields sent changed; ``version`` must be the one read,
    else 409."""
    client_id = _owner(request, evaluation_id)
    client = _open(request, client_id, "api:work_evaluation")
    current = selectors.evaluation_get(client=client, evaluation_id=evaluation_id)
    sent = payload.model_dump(exclude={"version"}, exclude_unset=True)
    saved = {name: getattr(current, name) for name in services.EvaluationData.__dataclass_fields__}
    try:
        evaluation = services.work_evaluation_save(
            actor=actor_of(request),
            client_id=client_id,
            contract_id=sent.pop("contract_id", current.contract_id),
            evaluation_id=evaluation_id,
            version=payload.version,
            data=services.EvaluationData(**{**saved, **sent}),
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except services.Invalid as invalid:
        raise _invalid(invalid) from invalid
    except services.EditConflict as clash:
        raise _conflict(clash) from clash
    return _evaluation(evaluation)


@evaluations.post("/{evaluation_id}/send", response={201: SentOut})
def send_evaluation(request: HttpRequest, evaluation_id: int, payload: SendIn) -> Status:
    """Send to the doctor's organisation; 422 ``consent_required`` without consent."""
    client_id = _owner(request, evaluation_id)
    try:
        sent = services.work_evaluation_send(
            actor=actor_of(request),
            client_id=client_id,
            evaluation_id=evaluation_id,
            version=payload.version,
            recipient_id=payload.recipient_id,
            recipient_person=payload.recipient_person,
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except ConsentRequired as refused:
        raise ApiError(
            422, refused.code, refused.message, {"missing": [refused.missing]}
        ) from refused
    except services.Invalid as invalid:
        raise _invalid(invalid) from invalid
    except services.EditConflict as clash:
        raise _conflict(clash) from clash
    return Status(
        201,
        SentOut(
            evaluation_id=evaluation_id, version=sent.version, recipient_id=payload.recipient_id
        ),
    )


router.add_router("/ktt-providers/", providers)
router.add_router("/work-evaluations/", evaluations)
