"""When a plan must be reviewed, and when an activation plan may be deemed interrupted.

Activation plan (aktivointisuunnitelma), 189/2001 § 9(3): reviewed "as needed" until
1.5.2022; from 2.5.2022 (1384/2021) at least every three months. Multi-sector plan
(monialainen työllistymissuunnitelma): every 3 months under 1369/2014 (unverified) and
under 381/2023 § 6 from 2025. Interruption (keskeytyminen), 189/2001 § 5: the plan may be
deemed interrupted one month after the person started work, a business or full-time
studies, after hearing the person (LEGAL.md ADDENDUM § 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from polku.rules.engine.calendar import add_months, next_working_day
from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.parameters import parameter
from polku.rules.engine.pending import HE_108_2025, HE_109_2025, note_pending_bills


class PlanType(StrEnum):
    """Plans with a statutory review rule."""

    ACTIVATION = "activation"
    MULTISECTOR = "multisector"


REVIEW_INTERVAL = {
    PlanType.ACTIVATION: "activation_plan.review_interval_months",
    PlanType.MULTISECTOR: "typ.review_interval_months",
}
# The bills of 2025 that would amend each plan's act (189/2001, 381/2023).
PENDING_BILLS = {
    PlanType.ACTIVATION: (HE_108_2025, HE_109_2025),
    PlanType.MULTISECTOR: (HE_108_2025,),
}


class InterruptionEvent(StrEnum):
    """What the person started (189/2001 § 5)."""

    EMPLOYMENT = "employment"
    ENTERPRISE = "enterprise"
    STUDIES = "studies"


EVENT_TEXTS = {
    InterruptionEvent.EMPLOYMENT: "työllistyi työhön",
    InterruptionEvent.ENTERPRISE: "aloitti yritystoiminnan",
    InterruptionEvent.STUDIES: "aloitti ammattiin tai tutkintoon johtavat päätoimiset opinnot",
}


@dataclass(frozen=True, slots=True)
class PlanReviewFacts:
    """The plan's type, the day it was made and its latest review, if any."""

    plan_type: PlanType
    made_on: date
    last_review_on: date | None


@dataclass(frozen=True, slots=True)
class PlanReviewResult:
    """``due`` is None where the law in force sets no interval ("as needed")."""

    due: date | None
    due_working_day: date | None
    overdue: bool | None


@dataclass(frozen=True, slots=True)
class InterruptionFacts:
    """The event that may interrupt an activation plan and the day it began."""

    event_type: InterruptionEvent
    event_start: date


@dataclass(frozen=True, slots=True)
class InterruptionResult:
    """Whether the plan may now be deemed interrupted, and from which day."""

    possible: bool
    possible_from: date


def decide_plan_review_due(facts: PlanReviewFacts, as_of: date) -> Decision[PlanReviewResult]:
    """Decide when the plan must next be reviewed under the law in force on ``as_of``.

    The next review falls the interval after the latest review (or the plan date), by the
    end-of-month rule of 150/1930 § 3. ``due_working_day`` is the § 5 working day for
    display; ``overdue`` compares ``as_of`` with ``due``.
    """
    explanation = Explanation()
    note_pending_bills(explanation, as_of, *PENDING_BILLS[facts.plan_type])
    interval = parameter(REVIEW_INTERVAL[facts.plan_type], as_of)
    months = interval.optional_integer()
    if months is None:
        explanation.add(
            f"{as_of.isoformat()} voimassa oleva laki ei aseta tarkistusväliä: suunnitelma "
            "tarkistetaan tarvittaessa (kolmen kuukauden sääntö 2.5.2022 alkaen).",
            interval.law,
            interval,
        )
        return explanation.decide(PlanReviewResult(None, None, None))
    base = facts.last_review_on or facts.made_on
    due = add_months(base, months)
    working_day = next_working_day(due)
    explanation.add(
        f"Tarkistettava vähintään {months} kuukauden välein: edellinen "
        f"{'tarkistus' if facts.last_review_on else 'laatiminen'} {base.isoformat()} → "
        f"viimeistään {due.isoformat()}"
        + (f" (arkipäivä {working_day.isoformat()})." if working_day != due else "."),
        interval.law,
        interval,
    )
    overdue = as_of > due
    if overdue:
        explanation.add(f"Tarkistus on myöhässä {as_of.isoformat()}.", interval.law)
    return explanation.decide(PlanReviewResult(due, working_day, overdue))


def decide_interruption_possible(
    facts: InterruptionFacts, as_of: date
) -> Decision[InterruptionResult]:
    """Decide whether an activation plan may be deemed interrupted (keskeytyminen, § 5).

    The decision is discretionary ("voidaan") and needs a hearing of the person; this only
    says whether the one-month wait has passed on ``as_of``.
    """
    explanation = Explanation()
    note_pending_bills(explanation, as_of, HE_108_2025, HE_109_2025)
    wait = parameter("activation_plan.interruption_after_months", as_of)
    possible_from = add_months(facts.event_start, wait.integer())
    possible = as_of >= possible_from
    explanation.add(
        f"Henkilö {EVENT_TEXTS[facts.event_type]} {facts.event_start.isoformat()}; "
        f"suunnitelma voidaan katsoa keskeytyneeksi {wait.value} kuukauden kuluttua eli "
        f"{possible_from.isoformat()} alkaen: {'mahdollista' if possible else 'ei vielä'} "
        f"{as_of.isoformat()}.",
        wait.law,
        wait,
    )
    explanation.add(
        "Päätös on harkinnanvarainen ja edellyttää henkilön kuulemista; keskeytyneen "
        "suunnitelman jatkamisesta sovitaan osapuolten kesken.",
        "189/2001 § 5",
    )
    return explanation.decide(InterruptionResult(possible, possible_from))
