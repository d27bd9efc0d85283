"""The app's door to the rules engine: facts in, decisions and explanations out.

Nothing here computes a legal number: eligibility, dates, rates, caps and each month's
subsidy come from ``polku.rules.engine``; this module only picks the facts from the
records and cuts the claim period into months.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from polku.employment.models import PaySubsidy
from polku.rules.engine.calendar import add_months
from polku.rules.engine.decision import Decision
from polku.rules.engine.obligated_employment import (
    ObligatedEmploymentFacts,
    ObligatedEmploymentResult,
    decide_obligated_employment,
)
from polku.rules.engine.pay_subsidy import (
    EmployerType,
    PaySubsidyAmountFacts,
    PaySubsidyBasis,
    PaySubsidyFacts,
    PaySubsidyResult,
    decide_pay_subsidy,
    decide_pay_subsidy_amount,
)
from polku.rules.engine.serialization import decision_json


@dataclass(frozen=True)
class EngineAnswer:
    """A decision as the pages and the API show it: result, steps and the warning flag."""

    result: Any
    explanation: list[dict[str, Any]]
    unverified: bool


def shown(decision: Decision[Any]) -> EngineAnswer:
    result, explanation = decision_json(decision)
    return EngineAnswer(result, explanation, bool(decision.unverified_parameters))


def obligation_decision(
    *, birth_date: date, max_period_end: date, as_of: date
) -> Decision[ObligatedEmploymentResult]:
    return decide_obligated_employment(
        ObligatedEmploymentFacts(birth_date=birth_date, max_period_end=max_period_end), as_of
    )


@dataclass(frozen=True)
class SubsidyFacts:
    start: date
    basis: str
    employer_type: str
    birth_date: date
    unemployed_months_of_last_28: int
    unemployed_months_of_last_14: int | None = None
    long_term_unemployed: bool | None = None


def subsidy_decision(facts: SubsidyFacts, as_of: date) -> Decision[PaySubsidyResult]:
    """The rate, duration and cap for the start date.

    Raises:
        FactError: a fact the engine needs for this combination is missing.
    """
    return decide_pay_subsidy(
        PaySubsidyFacts(
            start=facts.start,
            basis=PaySubsidyBasis(facts.basis),
            employer_type=EmployerType(facts.employer_type),
            birth_date=facts.birth_date,
            unemployed_months_of_last_28=facts.unemployed_months_of_last_28,
            unemployed_months_of_last_14=facts.unemployed_months_of_last_14,
            long_term_unemployed=facts.long_term_unemployed,
        ),
        as_of,
    )


def subsidy_facts(subsidy: PaySubsidy) -> SubsidyFacts:
    return SubsidyFacts(
        start=subsidy.start,
        basis=subsidy.basis,
        employer_type=subsidy.employer.employer_type,
        birth_date=subsidy.client.birth_date,
        unemployed_months_of_last_28=subsidy.unemployed_months_of_last_28,
        unemployed_months_of_last_14=subsidy.unemployed_months_of_last_14,
        long_term_unemployed=subsidy.long_term_unemployed,
    )


def subsidy_period_end(subsidy: PaySubsidy) -> date:
    """The last subsidised day: the employment's end or the end of the decided duration."""
    if subsidy.duration_months is None:
        return subsidy.end
    return min(subsidy.end, add_months(subsidy.start, subsidy.duration_months) - timedelta(days=1))


@dataclass(frozen=True)
class MonthLine:
    month: date  # the first day of the month
    days_covered: int
    days_in_month: int
    wage_costs: Decimal  # the month's wage costs as entered (per full month)
    amount: Decimal


def subsidy_months(subsidy: PaySubsidy, start: date, end: date) -> list[MonthLine]:
    """The subsidy of each month between ``start`` and ``end`` (the engine's amounts).

    Only a granted, allowed subsidy with a rate has months; each month's amount is
    ``decide_pay_subsidy_amount`` for the days of the month within the subsidy period.
    """
    if subsidy.status != PaySubsidy.Status.GRANTED or not subsidy.allowed or subsidy.rate is None:
        return []
    first = max(start, subsidy.start)
    last = min(end, subsidy_period_end(subsidy))
    lines: list[MonthLine] = []
    month = first.replace(day=1)
    while month <= last:
        days_in_month = calendar.monthrange(month.year, month.month)[1]
        month_end = month.replace(day=days_in_month)
        covered = (min(last, month_end) - max(first, month)).days + 1
        decision = decide_pay_subsidy_amount(
            PaySubsidyAmountFacts(
                wage_costs=subsidy.monthly_wage_costs,
                rate=subsidy.rate,
                monthly_cap=subsidy.monthly_cap,
                days_covered=covered,
                days_in_month=days_in_month,
            ),
            last,
        )
        lines.append(
            MonthLine(
                month, covered, days_in_month, subsidy.monthly_wage_costs, decision.result.amount
            )
        )
        month = month_end + timedelta(days=1)
    return lines
