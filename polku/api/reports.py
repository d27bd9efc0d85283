"""``/api/v1/reports/``: the monitoring indicators and the monthly report as JSON (SPEC C8).

Anonymous aggregates only; person counts under five are "< 5" as in the report.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from polku.access import policy
from polku.accounts.roles import Capability
from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.reports import goal_selectors, indicators, report_selectors
from polku.reports.models import AgreementGoal, PartnerAgreement
from polku.reports.periods import add_months, parse_month

router = Router(tags=["reports"])


class RowOut(Schema):
    key: str
    label: str
    value: str
    persons: int | str | None


class IndicatorOut(Schema):
    key: str
    title: str
    value: str | None
    unit: str
    definition: str
    numerator: str | None
    denominator: str | None
    persons: int | str | None
    rows: list[RowOut]


class LineOut(Schema):
    key: str
    title: str
    unit: str
    current: IndicatorOut
    previous: dict[str, Any]
    year_ago: dict[str, Any]


class MonthlyOut(Schema):
    month: str
    closed: bool
    lines: list[LineOut]
    corrections: list[dict[str, Any]]


class TargetOut(Schema):
    indicator: str
    year: int
    value: Decimal


class GoalOut(Schema):
    id: int
    title: str
    measures: list[str]
    order: int
    version: int
    targets: list[TargetOut]


class AgreementGoalOut(Schema):
    id: int
    order: int
    text: str
    achieved: str  # yes / partly / no; empty until evaluated
    evaluation: str


class PartnerAgreementOut(Schema):
    id: int
    partner: str
    year: int
    signed_on: date | None
    contact: str
    goals: list[str]
    goal_evaluations: list[AgreementGoalOut]  # each agreed goal evaluated at the next round
    status: str
    evaluation: str
    achieved: str  # overall, derived from the goals' results
    evaluated_on: date | None
    version: int

    @staticmethod
    def resolve_goal_evaluations(agreement: PartnerAgreement) -> list[AgreementGoal]:
        return list(agreement.agreed_goals.all())


@router.get("/indicators", response=list[IndicatorOut])
def indicator_list(request: HttpRequest, start: date, end: date) -> list[dict[str, Any]]:
    """Every built-in indicator for any period (inclusive), computed now."""
    actor = actor_of(request)
    policy.require(actor, Capability.VIEW_REPORTS)
    if end < start:
        raise ApiError(400, "invalid_period", "end is before start", {"end": "before start"})
    values = indicators.compute_all(actor.organisation.pk, start, end)
    return [value.public() for value in values.values()]


@router.get("/monthly", response=MonthlyOut)
def monthly(request: HttpRequest, month: str | None = None) -> dict[str, Any]:
    """The monthly report (``month`` as YYYY-MM; the last full month by default)."""
    actor = actor_of(request)
    default = add_months(timezone.localdate().replace(day=1), -1)
    report = report_selectors.monthly_report(actor=actor, month=parse_month(month, default))
    return {
        "month": f"{report.month:%Y-%m}",
        "closed": report.current.closed_at is not None,
        "lines": [
            {
                "key": line.key,
                "title": line.title,
                "unit": line.unit,
                "current": line.current,
                "previous": line.previous,
                "year_ago": line.year_ago,
            }
            for line in report.lines
        ],
        "corrections": [
            {**c, "recorded_at": c["recorded_at"].isoformat()} for c in report.corrections
        ],
    }


@router.get("/goals", response=list[GoalOut])
def goal_list(request: HttpRequest, year: int | None = None) -> Any:
    """The organisation's goals with their measures and yearly targets (``year`` filters)."""
    return goal_selectors.goals_of(actor=actor_of(request), year=year)


@router.get("/partner-agreements", response=list[PartnerAgreementOut])
def partner_agreement_list(request: HttpRequest, year: int | None = None) -> Any:
    """The partner agreements (aiesopimus) with their evaluation (``year`` filters)."""
    return goal_selectors.agreements_of(actor=actor_of(request), year=year)
