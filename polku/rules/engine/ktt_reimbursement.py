"""State reimbursement to the KTT organiser (valtionkorvaus), act 189/2001 § 24.

10,09 € per participant per day of participation, paid afterwards for days already
attended; the number of reimbursed days per ISO week is capped (5, then 4 to match the
1.7.2015 limit). Each date uses the amount and the cap in force on that date, and the
first attended days of a week are the ones reimbursed (LEGAL.md § 1.2, ADDENDUM § 4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.money import format_money
from polku.rules.engine.parameters import ParameterValue, change_dates, parameter

AMOUNT = "ktt.state_reimbursement_per_day"
WEEKLY_CAP = "ktt.reimbursed_days_per_week_max"


@dataclass(frozen=True, slots=True)
class KttReimbursementFacts:
    """Dates one participant attended."""

    attendance: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class WeekLine:
    """One ISO week: days attended, days reimbursed and their amount."""

    week: str
    attended: int
    reimbursable: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class KttReimbursementResult:
    """Total reimbursable days and euros, with the weekly breakdown."""

    reimbursable_days: int
    amount: Decimal
    weeks: tuple[WeekLine, ...]


@dataclass(frozen=True, slots=True)
class DailyRate:
    """The per-day reimbursement and the weekly cap in force from ``starts`` on."""

    starts: date
    amount: Decimal
    weekly_cap: int
    law: str


def daily_rates(start: date, end: date) -> tuple[DailyRate, ...]:
    """The per-day amounts and weekly caps in force during a claim period, oldest first.

    A new dated entry that leaves both values as they were starts no new line, so a
    period under one rate shows one line (e.g. 10,09 € a day, at most 4 days a week).
    """
    rates: list[DailyRate] = []
    for day in (start, *change_dates((AMOUNT, WEEKLY_CAP), start, end)):
        amount, cap = parameter(AMOUNT, day), parameter(WEEKLY_CAP, day)
        if rates and (rates[-1].amount, rates[-1].weekly_cap) == (amount.money(), cap.integer()):
            continue
        rates.append(DailyRate(day, amount.money(), cap.integer(), amount.law))
    return tuple(rates)


def reimbursable_dates(attendance: Iterable[date]) -> tuple[date, ...]:
    """The attended dates that the weekly cap in force on each date lets through."""
    reimbursed: list[date] = []
    for _week, days in groupby(sorted(set(attendance)), key=_iso_week):
        counted = 0
        for day in days:
            if counted < parameter(WEEKLY_CAP, day).integer():
                counted += 1
                reimbursed.append(day)
    return tuple(reimbursed)


def decide_ktt_reimbursement(
    facts: KttReimbursementFacts, as_of: date
) -> Decision[KttReimbursementResult]:
    """Compute the state reimbursement for the attended days (valtionkorvaus).

    Args:
        facts: the attended dates; duplicates count once.
        as_of: the claim date; later dates are not yet attended and are left out.
    """
    explanation = Explanation()
    attended = sorted(set(facts.attendance))
    if len(attended) < len(facts.attendance):
        explanation.add("Sama päivämäärä useaan kertaan: päivä lasketaan kerran.", None)
    future = [day for day in attended if day > as_of]
    if future:
        explanation.add(
            f"{len(future)} päivää on arviointipäivän {as_of.isoformat()} jälkeen; korvaus "
            "maksetaan vain jo toteutuneilta osallistumispäiviltä.",
            "189/2001 § 24",
        )
        attended = [day for day in attended if day <= as_of]
    reimbursed = set(reimbursable_dates(attended))
    weeks: list[WeekLine] = []
    used: dict[tuple[str, date], ParameterValue] = {}
    for week, days in groupby(attended, key=_iso_week):
        week_days = list(days)
        paid = [day for day in week_days if day in reimbursed]
        amounts = [parameter(AMOUNT, day) for day in paid]
        caps = [parameter(WEEKLY_CAP, day) for day in week_days]
        for value in (*amounts, *caps):
            used.setdefault((value.name, value.effective_from), value)
        line = WeekLine(
            week, len(week_days), len(paid), sum((a.money() for a in amounts), Decimal(0))
        )
        weeks.append(line)
        if line.reimbursable < line.attended:
            explanation.add(
                f"Viikolla {week} osallistumispäiviä {line.attended}, korvataan enintään "
                f"{caps[-1].value}: {line.reimbursable} päivää.",
                caps[-1].law,
                *dict.fromkeys(caps),
            )
    total = sum((line.amount for line in weeks), Decimal(0))
    days_total = sum(line.reimbursable for line in weeks)
    explanation.add(
        f"Korvattavia päiviä {days_total}, yhteensä {format_money(total)} € "
        "(kunkin päivän korvaus ja viikkoraja sinä päivänä voimassa olevan mukaan).",
        "189/2001 § 24",
        *used.values(),
    )
    return explanation.decide(KttReimbursementResult(days_total, total, tuple(weeks)))


def _iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"
