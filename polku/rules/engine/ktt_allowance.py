"""The KTT participant's own daily allowance (kulukorvaus / toimintaraha).

A participant who receives an unemployment benefit gets the expense allowance
(kulukorvaus, TTL 10:6, paid by Kela or the fund); one who does not gets the activity
allowance (toimintaraha, 189/2001 § 18, paid by the organiser), never both for the same
day. Both are paid for attended days, at most the weekly number of days in force on each
date, at the amount in force on each date (LEGAL.md §§ 1.2, 2.8). Travel costs are paid
on top, by the cheapest means, as incurred.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import groupby

from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.money import format_money
from polku.rules.engine.parameters import ParameterValue, parameter

WEEKLY_CAP = "allowance.expense_allowance_days_per_week_max"


class AllowanceKind(StrEnum):
    EXPENSE_ALLOWANCE = "expense_allowance"  # kulukorvaus
    ACTIVITY_ALLOWANCE = "activity_allowance"  # toimintaraha


AMOUNTS = {
    AllowanceKind.EXPENSE_ALLOWANCE: ("allowance.expense_allowance_per_day", "TTL 10:6"),
    AllowanceKind.ACTIVITY_ALLOWANCE: ("allowance.activity_allowance_per_day", "189/2001 § 18"),
}


@dataclass(frozen=True, slots=True)
class KttAllowanceFacts:
    """Dates attended and whether the participant receives an unemployment benefit."""

    attendance: tuple[date, ...]
    unemployment_benefit: bool


@dataclass(frozen=True, slots=True)
class KttAllowanceResult:
    kind: AllowanceKind
    days: int
    amount: Decimal


def decide_ktt_allowance(facts: KttAllowanceFacts, as_of: date) -> Decision[KttAllowanceResult]:
    """Compute the participant's allowance for the attended days up to ``as_of``.

    Args:
        facts: the attended dates (duplicates count once) and the benefit status.
        as_of: days after it are not yet attended and are left out.
    """
    explanation = Explanation()
    kind = (
        AllowanceKind.EXPENSE_ALLOWANCE
        if facts.unemployment_benefit
        else AllowanceKind.ACTIVITY_ALLOWANCE
    )
    name, law = AMOUNTS[kind]
    explanation.add(
        "Osallistuja saa työttömyysetuutta: maksetaan kulukorvaus."
        if facts.unemployment_benefit
        else "Osallistuja ei saa työttömyysetuutta: maksetaan toimintaraha (ei samoilta päiviltä "
        "kuin kulukorvaus).",
        law,
    )
    attended = sorted({day for day in facts.attendance if day <= as_of})
    used: dict[tuple[str, date], ParameterValue] = {}
    days = 0
    total = Decimal(0)
    for _week, week_days in groupby(attended, key=lambda day: day.isocalendar()[:2]):
        counted = 0
        for day in week_days:
            cap = parameter(WEEKLY_CAP, day)
            used.setdefault((cap.name, cap.effective_from), cap)
            if counted >= cap.integer():
                continue
            counted += 1
            amount = parameter(name, day)
            used.setdefault((amount.name, amount.effective_from), amount)
            total += amount.money()
        days += counted
    explanation.add(
        f"Korvattavia päiviä {days} (enintään viikkorajan verran viikossa), yhteensä "
        f"{format_money(total)} € (kunkin päivän määrä sinä päivänä voimassa olevan mukaan).",
        law,
        *used.values(),
    )
    return explanation.decide(KttAllowanceResult(kind, days, total))
