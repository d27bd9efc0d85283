"""Working-day deadlines under the act on calculating time limits 150/1930 (määräaikalaki)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from polku.rules.engine.calendar import Deadline, DeadlineUnit, deadline_after, public_holidays
from polku.rules.engine.decision import Decision, Explanation

UNIT_TEXTS = {
    DeadlineUnit.DAYS: "päivää",
    DeadlineUnit.WEEKS: "viikkoa",
    DeadlineUnit.MONTHS: "kuukautta",
    DeadlineUnit.YEARS: "vuotta",
}


@dataclass(frozen=True, slots=True)
class DeadlineFacts:
    """A period of ``count`` units that starts from ``event_date``."""

    event_date: date
    count: int
    unit: DeadlineUnit


def decide_deadline(facts: DeadlineFacts, as_of: date) -> Decision[Deadline]:
    """Compute the last day of a statutory period (150/1930 §§ 2, 3 and 5).

    Args:
        facts: the event day, the period's length and unit.
        as_of: the evaluation date (the calendar does not depend on it).
    """
    explanation = Explanation()
    deadline = deadline_after(facts.event_date, facts.count, facts.unit)
    explanation.add(
        f"Tapahtumapäivää {facts.event_date.isoformat()} ei lasketa; {facts.count} "
        f"{UNIT_TEXTS[facts.unit]} päättyy {deadline.unshifted.isoformat()}.",
        "150/1930 §§ 2–3",
    )
    if deadline.shifted:
        reason = public_holidays(deadline.unshifted.year).get(
            deadline.unshifted, "lauantai tai sunnuntai"
        )
        explanation.add(
            f"Viimeinen päivä on {reason}: toimen saa tehdä seuraavana arkipäivänä "
            f"{deadline.due.isoformat()}.",
            "150/1930 § 5",
        )
    return explanation.decide(deadline)
