"""REST API: /pay-subsidies/ (SPEC C6, CONTRACTS.md § 5).

Pay-subsidised employments with the rules engine's rate, duration and monthly cap for
the start date; money as strings with two decimals.
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
from polku.employment.models import PaySubsidy
from polku.rules.engine.pay_subsidy import PaySubsidyBasis

router = Router(tags=["pay-subsidies"])


class SubsidyOut(Schema):
    id: int
    client_id: int
    employer_id: int
    employer: str
    job_title: str
    basis: PaySubsidyBasis
    start: date
    end: date
    monthly_wage_costs: str
    status: PaySubsidy.Status
    applied_on: date
    decision_on: date | None
    rate: int | None
    duration_months: int | None
    monthly_cap: str | None
    version: int
    explanation: list[dict[str, Any]]
    unverified: bool


class SubsidyIn(Schema):
    client_id: int
    employer_id: int
    job_title: str = Field(min_length=1, max_length=200)
    basis: PaySubsidyBasis
    unemployed_months_of_last_28: int = Field(ge=0, le=28)
    unemployed_months_of_last_14: int | None = Field(None, ge=0, le=14)
    long_term_unemployed: bool | None = None
    start: date
    end: date
    monthly_wage_costs: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    applied_on: date
    obligated_employment_id: int | None = None


class DecisionIn(Schema):
    client_id: int
    version: int
    granted: bool
    decision_on: date
    decision_number: str = Field("", max_length=40)


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _subsidy(subsidy: PaySubsidy) -> SubsidyOut:
    answer = selectors.subsidy_answer(subsidy=subsidy, today=timezone.localdate())
    return SubsidyOut(
        id=subsidy.pk,
        client_id=subsidy.client_id,
        employer_id=subsidy.employer_id,
        employer=subsidy.employer.name,
        job_title=subsidy.job_title,
        basis=PaySubsidyBasis(subsidy.basis),
        start=subsidy.start,
        end=subsidy.end,
        monthly_wage_costs=f"{subsidy.monthly_wage_costs:.2f}",
        status=PaySubsidy.Status(subsidy.status),
        applied_on=subsidy.applied_on,
        decision_on=subsidy.decision_on,
        rate=subsidy.rate,
        duration_months=subsidy.duration_months,
        monthly_cap=_money(subsidy.monthly_cap),
        version=subsidy.version,
        explanation=answer.explanation if answer else [],
        unverified=answer.unverified if answer else False,
    )


@router.get("/", response=list[SubsidyOut])
def list_subsidies(request: HttpRequest, client_id: int) -> list[SubsidyOut]:
    """The client's pay-subsidised employments with the engine's reasoning."""
    client = client_selectors.client_get(
        actor=actor_of(request), client_id=client_id, now=timezone.now(), view="api:pay_subsidies"
    )
    return [_subsidy(subsidy) for subsidy in selectors.client_subsidies(client=client)]


@router.post("/", response={201: SubsidyOut})
def apply_subsidy(request: HttpRequest, payload: SubsidyIn) -> Status:
    """Record an application; 422 ``subsidy_refused`` with the engine's reasoning if not allowed."""
    try:
        subsidy = services.subsidy_apply(
            actor=actor_of(request),
            client_id=payload.client_id,
            data=services.SubsidyData(**payload.model_dump(exclude={"client_id"})),
            now=timezone.now(),
        )
    except services.SubsidyRefused as refused:
        raise ApiError(422, "subsidy_refused", str(refused)) from refused
    except ValueError as invalid:
        raise ApiError(422, "invalid", str(invalid)) from invalid
    return Status(201, _subsidy(subsidy))


@router.post("/{subsidy_id}/decision", response=SubsidyOut)
def record_decision(request: HttpRequest, subsidy_id: int, payload: DecisionIn) -> SubsidyOut:
    """Record the decision; ``version`` must be the one read, else 409."""
    try:
        subsidy = services.subsidy_decide(
            actor=actor_of(request),
            client_id=payload.client_id,
            subsidy_id=subsidy_id,
            version=payload.version,
            granted=payload.granted,
            decision_on=payload.decision_on,
            decision_number=payload.decision_number,
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
    return _subsidy(subsidy)
