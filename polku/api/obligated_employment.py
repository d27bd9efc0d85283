"""REST API: /obligated-employment/ (SPEC C6, CONTRACTS.md § 5).

The same services and selectors as the pages, with the same permissions. Each case
carries the rules engine's answer and explanation; a notice whose obligation would arise
after 2.9.2024 is stored as refused with the engine's reasoning.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.clients import selectors as client_selectors
from polku.employment import selectors, services
from polku.employment.models import ObligatedEmployment

router = Router(tags=["obligated-employment"])


class CaseOut(Schema):
    id: int
    client_id: int
    status: ObligatedEmployment.Status
    notice_received_on: date
    max_period_end: date
    job_must_start_by: date | None
    duration_months: int | None
    refusal_reason: str
    meeting_on: date | None
    employer_id: int | None
    job_title: str
    job_chosen_on: date | None
    subsidy_applied_on: date | None
    decision_on: date | None
    contract_start: date | None
    contract_end: date | None
    costs: str | None
    ktt_chosen_on: date | None
    ended_on: date | None
    version: int
    explanation: list[dict[str, Any]]
    unverified: bool


class NoticeIn(Schema):
    client_id: int
    notice_received_on: date
    max_period_end: date


class StepsIn(Schema):
    client_id: int
    version: int
    meeting_on: date | None = None
    employer_id: int | None = None
    job_title: str = Field("", max_length=200)
    job_chosen_on: date | None = None
    subsidy_applied_on: date | None = None
    decision_on: date | None = None
    contract_start: date | None = None
    contract_end: date | None = None
    costs: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    ktt_chosen_on: date | None = None
    ended_on: date | None = None


def _case(case: ObligatedEmployment, birth_date: date) -> CaseOut:
    answer = selectors.obligation_answer(
        case=case, birth_date=birth_date, today=timezone.localdate()
    )
    return CaseOut(
        id=case.pk,
        client_id=case.client_id,
        status=ObligatedEmployment.Status(case.status),
        notice_received_on=case.notice_received_on,
        max_period_end=case.max_period_end,
        job_must_start_by=case.job_must_start_by,
        duration_months=case.duration_months,
        refusal_reason=case.refusal_reason,
        meeting_on=case.meeting_on,
        employer_id=case.employer_id,
        job_title=case.job_title,
        job_chosen_on=case.job_chosen_on,
        subsidy_applied_on=case.subsidy_applied_on,
        decision_on=case.decision_on,
        contract_start=case.contract_start,
        contract_end=case.contract_end,
        costs=None if case.costs is None else f"{case.costs:.2f}",
        ktt_chosen_on=case.ktt_chosen_on,
        ended_on=case.ended_on,
        version=case.version,
        explanation=answer.explanation,
        unverified=answer.unverified,
    )


@router.get("/", response=list[CaseOut])
def list_cases(request: HttpRequest, client_id: int) -> list[CaseOut]:
    """The client's obligated-employment cases with the engine's reasoning."""
    client = client_selectors.client_get(
        actor=actor_of(request),
        client_id=client_id,
        now=timezone.now(),
        view="api:obligated_employment",
    )
    return [_case(case, client.birth_date) for case in selectors.client_obligations(client=client)]


@router.post("/", response={201: CaseOut})
def record_notice(request: HttpRequest, payload: NoticeIn) -> Status:
    """Record the TE office's notice; the engine decides whether an obligation arises."""
    case = services.obligation_record(
        actor=actor_of(request),
        client_id=payload.client_id,
        notice_received_on=payload.notice_received_on,
        max_period_end=payload.max_period_end,
        now=timezone.now(),
    )
    return Status(201, _case(case, case.client.birth_date))


@router.patch("/{case_id}", response=CaseOut)
def update_steps(request: HttpRequest, case_id: int, payload: StepsIn) -> CaseOut:
    """Record the steps; ``version`` must be the one read, else 409 with both versions."""
    steps = payload.model_dump(exclude={"client_id", "version"}, exclude_unset=True)
    try:
        case = services.obligation_update(
            actor=actor_of(request),
            client_id=payload.client_id,
            case_id=case_id,
            version=payload.version,
            steps=steps,
            now=timezone.now(),
        )
    except services.EditConflict as clash:
        raise ApiError(
            409,
            "edit_conflict",
            str(clash),
            {
                "current_version": clash.current.version,
                "attempted": payload.model_dump(mode="json"),
            },
        ) from clash
    except ValueError as refused:
        raise ApiError(422, "invalid", str(refused)) from refused
    return _case(case, case.client.birth_date)
