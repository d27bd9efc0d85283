"""The next review date of a plan, from the rules engine (``plan_review_due``).

The law sets an interval only for some plans (activation plans from 2.5.2022,
multi-sector plans); where the engine says null there is no statutory date. A worker
may agree an earlier review, never a later one than the statutory date.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from polku.rules.engine.decision import Decision
from polku.rules.engine.plan_review import (
    PlanReviewFacts,
    PlanReviewResult,
    decide_plan_review_due,
)
from polku.rules.engine.plan_review import (
    PlanType as RuleType,
)
from polku.rules.engine.serialization import decision_json

# Plan types the engine knows a review rule for; the others have no statutory interval.
RULE_TYPES = {"activation": RuleType.ACTIVATION, "multisector": RuleType.MULTISECTOR}


class ReviewDateTooLate(ValueError):
    """The worker's date is later than the review the law requires."""


@dataclass(frozen=True)
class ReviewSchedule:
    statutory: date | None
    next: date | None
    decision: Decision[PlanReviewResult] | None


@dataclass(frozen=True)
class ReviewExplanation:
    """The engine's reasoning as the plan page shows it."""

    result: Any
    explanation: list[dict[str, Any]]
    unverified: bool


def review_decision(
    *, plan_type: str, made_on: date, last_review_on: date | None, as_of: date
) -> Decision[PlanReviewResult] | None:
    """The engine's decision, or None for a plan type the law sets no review rule for."""
    rule_type = RULE_TYPES.get(plan_type)
    if rule_type is None:
        return None
    facts = PlanReviewFacts(plan_type=rule_type, made_on=made_on, last_review_on=last_review_on)
    return decide_plan_review_due(facts, as_of)


def review_schedule(
    *,
    plan_type: str,
    made_on: date,
    last_review_on: date | None,
    requested_on: date | None,
    as_of: date,
) -> ReviewSchedule:
    """The statutory and the effective next review date.

    Raises:
        ReviewDateTooLate: ``requested_on`` is after the statutory date.
    """
    decision = review_decision(
        plan_type=plan_type, made_on=made_on, last_review_on=last_review_on, as_of=as_of
    )
    statutory = decision.result.due if decision else None
    if requested_on and statutory and requested_on > statutory:
        raise ReviewDateTooLate(
            _(
                "Suunnitelma on lain mukaan tarkistettava viimeistään %(day)s. "
                "Voit sopia aikaisemman tarkistuspäivän, mutta et myöhäisempää."
            )
            % {"day": formats.date_format(statutory, "SHORT_DATE_FORMAT")}
        )
    return ReviewSchedule(statutory=statutory, next=requested_on or statutory, decision=decision)


def explain(decision: Decision[Any] | None) -> ReviewExplanation | None:
    if decision is None:
        return None
    result, explanation = decision_json(decision)
    return ReviewExplanation(
        result=result, explanation=explanation, unverified=bool(decision.unverified_parameters)
    )
