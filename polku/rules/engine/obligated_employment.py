"""Municipal obligation to arrange work (työllistämisvelvoite), act 916/2012 chapter 11.

A person aged 57–59 when the maximum period of the earnings-related allowance ends had the
right to a 6-month job arranged by the home municipality. The obligation was abolished on
2.9.2024 (HE 13/2024); its transitional rules are not verified (LEGAL.md §§ 1.4, 2.4).
Everything is judged on the date the maximum period ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from polku.rules.engine.calendar import age_on
from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.parameters import parameter

LAW = "916/2012 11 luku"


@dataclass(frozen=True, slots=True)
class ObligatedEmploymentFacts:
    """Birth date and the day the earnings-related allowance's maximum period ends."""

    birth_date: date
    max_period_end: date


@dataclass(frozen=True, slots=True)
class ObligatedEmploymentResult:
    """Eligibility with the job's latest start date and its length when eligible."""

    eligible: bool
    job_must_start_by: date | None
    duration_months: int | None


def decide_obligated_employment(
    facts: ObligatedEmploymentFacts, as_of: date
) -> Decision[ObligatedEmploymentResult]:
    """Decide eligibility for obligated employment (velvoitetyöllistäminen).

    Args:
        facts: birth date and the end date of the earnings-related maximum period.
        as_of: the evaluation date; the law is applied as in force on ``max_period_end``.
    """
    explanation = Explanation()
    end = facts.max_period_end
    in_force = parameter("obligated_employment.in_force", end)
    if not in_force.flag():
        explanation.add(
            f"Enimmäisaika päättyy {end.isoformat()}, jolloin työllistämisvelvoite on "
            "lakkautettu (päättyi 2.9.2024, HE 13/2024).",
            in_force.law,
            in_force,
        )
        return explanation.decide(ObligatedEmploymentResult(False, None, None))
    if end > as_of:
        explanation.add(
            f"Enimmäisaika päättyy vasta {end.isoformat()}; arvio tehdään sinä päivänä voimassa "
            "olevan lain mukaan.",
            LAW,
        )
    age_min = parameter("obligated_employment.age_min", end)
    age_below = parameter("obligated_employment.age_below", end)
    age = age_on(facts.birth_date, end)
    eligible = age_min.integer() <= age < age_below.integer()
    explanation.add(
        f"Ikä enimmäisajan päättyessä {end.isoformat()}: {age} vuotta (vaaditaan "
        f"{age_min.value}–{age_below.integer() - 1} vuotta): "
        f"{'täyttyy' if eligible else 'ei täyty'}.",
        LAW,
        in_force,
        age_min,
        age_below,
    )
    if not eligible:
        return explanation.decide(ObligatedEmploymentResult(False, None, None))
    start_rule = parameter("obligated_employment.job_must_start_by", end)
    duration = parameter("obligated_employment.duration_months", end)
    explanation.add(
        f"Kotikunnan on järjestettävä {duration.value} kuukauden työ, jonka on alettava "
        f"viimeistään enimmäisajan päättyessä {end.isoformat()}; kunta voi hakea palkkatukea.",
        LAW,
        start_rule,
        duration,
    )
    return explanation.decide(ObligatedEmploymentResult(True, end, duration.integer()))
