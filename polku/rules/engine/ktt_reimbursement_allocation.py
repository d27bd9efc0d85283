"""Allocating the KTT state reimbursement to the units that host the participants.

Seed 000 § 3.1: the municipality agrees how the reimbursement (10,09 € a day a
participant, 189/2001 § 24) is allocated to its units, to lower their threshold to take
KTT participants. The reimbursement itself is computed exactly as for the claim
(``ktt_reimbursement``: the amount and the weekly cap in force on each date, the first
attended days of an ISO week reimbursed); each reimbursed day belongs to the unit where
the participant attended that day, and the unit's agreed share of its euros is allocated
to it. In a cooperation agreement no money moves (seed 004), so nothing is allocated.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.ktt_provider import SEED_004, Arrangement, allocated_share
from polku.rules.engine.ktt_reimbursement import AMOUNT, reimbursable_dates
from polku.rules.engine.money import format_money, percent_of
from polku.rules.engine.parameters import ParameterValue, parameter

LAW = "189/2001 § 24"
ALLOCATION = "seed 000 § 3.1 (korvauksen kohdentamisesta sovitaan kunnassa)"


@dataclass(frozen=True, slots=True)
class AllocationUnit:
    """A hosting unit and the agreement its provider works under."""

    unit: str
    arrangement: Arrangement
    share_percent: int


@dataclass(frozen=True, slots=True)
class AttendedDay:
    """A day one participant attended, at ``unit`` (None: no unit recorded)."""

    day: date
    unit: str | None


@dataclass(frozen=True, slots=True)
class AllocationFacts:
    """The hosting units and each participant's attended days in the period."""

    units: tuple[AllocationUnit, ...]
    participants: tuple[tuple[AttendedDay, ...], ...]


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """One unit's days and euros; ``unit`` None collects days with no unit recorded."""

    unit: str | None
    arrangement: Arrangement | None
    participants: int
    attended_days: int
    reimbursable_days: int
    reimbursement: Decimal
    share_percent: int
    allocated: Decimal
    retained: Decimal


@dataclass(frozen=True, slots=True)
class AllocationResult:
    """Per-unit lines in the order the units were given, and the totals."""

    lines: tuple[AllocationLine, ...]
    reimbursable_days: int
    reimbursement: Decimal
    allocated: Decimal
    retained: Decimal


@dataclass
class _Tally:
    participants: int = 0
    attended: int = 0
    reimbursable: int = 0
    amount: Decimal = Decimal(0)


def decide_reimbursement_allocation(
    facts: AllocationFacts, as_of: date
) -> Decision[AllocationResult]:
    """Divide each participant's reimbursed days among the units where they attended.

    Args:
        facts: the units with their arrangement and agreed share, and the attended days.
        as_of: the report date; later days are not yet reimbursable and are left out.

    Raises:
        ValueError: an attended day names a unit that is not among ``facts.units``.
    """
    explanation = Explanation()
    units = {unit.unit: unit for unit in facts.units}
    tallies: dict[str | None, _Tally] = defaultdict(_Tally)
    used: dict[tuple[str, date], ParameterValue] = {}
    for attended in facts.participants:
        _tally_participant(attended, units, as_of, tallies, used, explanation)
    keys: list[str | None] = [*units, None]
    lines = [_line(units.get(key or ""), key, tallies[key]) for key in keys if key in tallies]
    for line in lines:
        _explain_line(line, explanation)
    total = sum((line.reimbursement for line in lines), Decimal(0))
    allocated = sum((line.allocated for line in lines), Decimal(0))
    days = sum(tally.reimbursable for tally in tallies.values())
    explanation.add(
        f"Korvattavia päiviä {days}, valtionkorvaus yhteensä {format_money(total)} €, "
        f"yksiköille kohdennetaan {format_money(allocated)} € ja järjestäjälle jää "
        f"{format_money(total - allocated)} € (kunkin päivän korvaus ja viikkoraja sinä "
        "päivänä voimassa olevan mukaan).",
        LAW,
        *used.values(),
    )
    return explanation.decide(
        AllocationResult(tuple(lines), days, total, allocated, total - allocated)
    )


def _tally_participant(
    days: tuple[AttendedDay, ...],
    units: dict[str, AllocationUnit],
    as_of: date,
    tallies: dict[str | None, _Tally],
    used: dict[tuple[str, date], ParameterValue],
    explanation: Explanation,
) -> None:
    unit_of: dict[date, str | None] = {}
    for attended in days:
        if attended.unit is not None and attended.unit not in units:
            raise ValueError(f"unknown unit {attended.unit!r}")
        if attended.day > as_of:
            continue
        if attended.day in unit_of and unit_of[attended.day] != attended.unit:
            explanation.add(
                f"{attended.day.isoformat()} on kirjattu kahteen yksikköön; päivä lasketaan "
                "kerran ensimmäiselle.",
                None,
            )
        unit_of.setdefault(attended.day, attended.unit)
    reimbursed = set(reimbursable_dates(unit_of.keys()))
    for unit in dict.fromkeys(unit_of.values()):
        tallies[unit].participants += 1
    for day, unit in unit_of.items():
        tally = tallies[unit]
        tally.attended += 1
        if day in reimbursed:
            value = parameter(AMOUNT, day)
            used.setdefault((value.name, value.effective_from), value)
            tally.reimbursable += 1
            tally.amount += value.money()


def _line(unit: AllocationUnit | None, key: str | None, tally: _Tally) -> AllocationLine:
    share = 0 if unit is None else allocated_share(unit.arrangement, unit.share_percent)
    allocated = percent_of(tally.amount, share)
    return AllocationLine(
        unit=key,
        arrangement=None if unit is None else unit.arrangement,
        participants=tally.participants,
        attended_days=tally.attended,
        reimbursable_days=tally.reimbursable,
        reimbursement=tally.amount,
        share_percent=share,
        allocated=allocated,
        retained=tally.amount - allocated,
    )


def _explain_line(line: AllocationLine, explanation: Explanation) -> None:
    amount = format_money(line.reimbursement)
    if line.unit is None:
        explanation.add(
            f"Päivät ilman kirjattua yksikköä: {line.reimbursable_days} korvattavaa päivää, "
            f"{amount} €; ei kohdenneta, jää järjestäjälle.",
            ALLOCATION,
        )
    elif line.arrangement is Arrangement.COOPERATION:
        explanation.add(
            f"{line.unit}: {line.reimbursable_days} korvattavaa päivää, {amount} €; "
            "yhteistyösopimus, raha ei liiku: kohdennetaan 0 €.",
            SEED_004,
        )
    else:
        explanation.add(
            f"{line.unit}: {line.reimbursable_days} korvattavaa päivää, {amount} €; sovittu "
            f"osuus {line.share_percent} % = {format_money(line.allocated)} €.",
            ALLOCATION,
        )
