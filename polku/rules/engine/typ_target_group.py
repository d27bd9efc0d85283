"""Target group of multi-sector joint services (TYP, työllistymistä edistävä monialainen
yhteispalvelu).

2015–2024, act 1369/2014 § 3: at least 300 days of labour market subsidy on the basis of
unemployment, or continuous unemployment of 6 months (under 25) or 12 months (25 or older).
The criteria only make the person eligible for the assessment; whether services must be
coordinated is the workers' judgement.

From 1.1.2025 act 381/2023 § 3 has no duration criteria: any unemployed person whose
employment is hindered by limits of work or functional capacity or life-management problems
can be referred, so the engine leaves ``in_target_group`` open (LEGAL.md ADDENDUM § 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from polku.rules.engine.calendar import age_on
from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.parameters import parameter
from polku.rules.engine.pending import HE_108_2025, note_pending_bills


class TypCriterion(StrEnum):
    """The alternative criteria of 1369/2014 § 3."""

    LMS_DAYS = "lms_days_total"
    UNDER25_UNEMPLOYMENT = "under25_continuous_unemployment"
    OVER25_UNEMPLOYMENT = "over25_continuous_unemployment"


@dataclass(frozen=True, slots=True)
class TypFacts:
    """Facts about one person on the evaluation date."""

    birth_date: date
    lms_days_total: int
    continuous_unemployment_months: int


@dataclass(frozen=True, slots=True)
class TypResult:
    """``in_target_group`` is None when the law in force decides by need, not by numbers."""

    in_target_group: bool | None
    criteria_met: tuple[TypCriterion, ...]


def decide_typ_target_group(facts: TypFacts, as_of: date) -> Decision[TypResult]:
    """Decide whether the person belongs to the TYP target group (1369/2014 § 3).

    Args:
        facts: age, labour market subsidy days and continuous unemployment.
        as_of: the assessment date; from 2025 the 381/2023 need-based rule applies.
    """
    explanation = Explanation()
    lms_days = parameter("typ.lms_days", as_of)
    threshold = lms_days.optional_integer()
    if threshold is None:
        note_pending_bills(explanation, as_of, HE_108_2025)
        explanation.add(
            "1.1.2025 alkaen laki 381/2023 ratkaisee tarpeen mukaan: monialaiseen "
            "kartoitukseen voidaan ohjata kuka tahansa työtön, jonka työllistymisen esteenä "
            "ovat työ- ja toimintakyvyn rajoitteet tai elämänhallinnan ongelmat. "
            "Vähimmäistyöttömyysaikaa ei ole, joten kohderyhmään kuuluminen ei ratkea luvuista.",
            lms_days.law,
            lms_days,
        )
        return explanation.decide(TypResult(None, ()))
    age_limit = parameter("typ.age_limit", as_of)
    age = age_on(facts.birth_date, as_of)
    under25 = age < age_limit.integer()
    months = parameter(
        "typ.under25_continuous_unemployment_months"
        if under25
        else "typ.over25_continuous_unemployment_months",
        as_of,
    )
    criteria = (
        (TypCriterion.LMS_DAYS, facts.lms_days_total >= threshold),
        (
            TypCriterion.UNDER25_UNEMPLOYMENT if under25 else TypCriterion.OVER25_UNEMPLOYMENT,
            facts.continuous_unemployment_months >= months.integer(),
        ),
    )
    explanation.add(
        f"Työmarkkinatukea työttömyyden perusteella {facts.lms_days_total} pv "
        f"(vaaditaan vähintään {threshold}): {_met(criteria[0][1])}.",
        lms_days.law,
        lms_days,
    )
    explanation.add(
        f"Ikä {age} vuotta; yhdenjaksoinen työttömyys {facts.continuous_unemployment_months} kk "
        f"(vaaditaan vähintään {months.value} kk): {_met(criteria[1][1])}.",
        months.law,
        age_limit,
        months,
    )
    criteria_met = tuple(criterion for criterion, met in criteria if met)
    explanation.add(
        "Kriteerit täyttävä ohjataan TYP-kartoitukseen; palvelujen yhteensovittamisen tarpeen "
        "arvioivat työvoimaviranomainen, kunta tai hyvinvointialue ja Kela yhdessä."
        if criteria_met
        else "Mikään 1369/2014 § 3:n kriteeri ei täyty.",
        "1369/2014 § 3",
    )
    return explanation.decide(TypResult(bool(criteria_met), criteria_met))


def _met(met: bool) -> str:
    return "täyttyy" if met else "ei täyty"
