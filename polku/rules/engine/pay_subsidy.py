"""Pay subsidy percentage, duration and monthly cap (palkkatuki), 916/2012 ch. 7 → 380/2023.

Model is chosen by the subsidy's start date (LEGAL.md §§ 1.4, 2.5):

* 2015 model (to 30.6.2023): skills deficit 30 / 40 / 50 % by unemployment in the last
  14 or 28 months (partly verified; the 50 % duration unknown), reduced work ability 50 %
  for 24 months (unverified).
* 2023 model (from 1.7.2023, HE 175/2022): skills 50 % for 5 or 10 months (the 10-month
  threshold unverified), reduced work ability 70 %, employment support for people aged 55+
  70 % for 10 months, associations 100 % up to 65 % of full working time.
* From 1.1.2025 a municipality or joint municipal authority may get pay subsidy only for a
  person with reduced work ability or a long-term unemployed person aged 60+ (HE 120/2024,
  partly verified).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from polku.rules.engine.calendar import age_on
from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.errors import missing_fact
from polku.rules.engine.money import cents, format_money, percent_of
from polku.rules.engine.parameters import ParameterValue, Tier, parameter

MODEL_2023 = "2023"
LONG_WINDOW_MONTHS = 28
SHORT_WINDOW_MONTHS = 14


class PaySubsidyBasis(StrEnum):
    """Ground on which the subsidy is granted."""

    SKILLS = "skills"
    REDUCED_WORK_ABILITY = "reduced_work_ability"
    AGE55 = "age55"
    ASSOCIATION = "association"


class EmployerType(StrEnum):
    """The employer's legal form."""

    COMPANY = "company"
    ASSOCIATION = "association"
    FOUNDATION = "foundation"
    RELIGIOUS_COMMUNITY = "religious_community"
    MUNICIPALITY = "municipality"
    JOINT_MUNICIPAL_AUTHORITY = "joint_municipal_authority"
    WELLBEING_COUNTY = "wellbeing_county"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class PaySubsidyFacts:
    """The planned subsidy and the person.

    ``unemployed_months_of_last_14`` is needed only for the 2015 model's 40 % step and
    ``long_term_unemployed`` only for a restricted municipal employer from 2025.
    """

    start: date
    basis: PaySubsidyBasis
    employer_type: EmployerType
    birth_date: date
    unemployed_months_of_last_28: int
    unemployed_months_of_last_14: int | None = None
    long_term_unemployed: bool | None = None


@dataclass(frozen=True, slots=True)
class PaySubsidyResult:
    """``allowed`` is None when the law in force for this basis is not known."""

    allowed: bool | None
    rate: int | None
    duration_months: int | None
    monthly_cap: Decimal | None


NOT_ALLOWED = PaySubsidyResult(False, None, None, None)


def decide_pay_subsidy(facts: PaySubsidyFacts, as_of: date) -> Decision[PaySubsidyResult]:
    """Decide the pay subsidy's rate, duration and monthly cap for its start date.

    Args:
        facts: start date, basis, employer and the person's age and unemployment history.
        as_of: the evaluation date (the law comes from ``facts.start``).

    Raises:
        FactError: an optional fact is needed for this combination (``missing_fact``).
    """
    explanation = Explanation()
    model = parameter("pay_subsidy.model", facts.start)
    age = age_on(facts.birth_date, facts.start)
    explanation.add(
        f"Tuki alkaa {facts.start.isoformat()}: sovelletaan {model.text()}-mallia; ikä "
        f"alkaessa {age} vuotta, työttömänä {facts.unemployed_months_of_last_28} kk "
        "edeltävien 28 kuukauden aikana.",
        model.law,
        model,
    )
    if not _employer_allowed(facts, age, explanation):
        return explanation.decide(NOT_ALLOWED)
    if model.text() == MODEL_2023:
        return explanation.decide(_model_2023(facts, age, explanation))
    return explanation.decide(_model_2015(facts, explanation))


def _employer_allowed(facts: PaySubsidyFacts, age: int, explanation: Explanation) -> bool:
    restricted = parameter("pay_subsidy.restricted_employer_types", facts.start)
    if facts.employer_type.value not in restricted.strings():
        if facts.employer_type in {
            EmployerType.MUNICIPALITY,
            EmployerType.JOINT_MUNICIPAL_AUTHORITY,
        }:
            explanation.add(
                "Kuntatyönantajaa ei tuolloin rajattu palkkatuessa.", restricted.law, restricted
            )
        return True
    if facts.basis is PaySubsidyBasis.REDUCED_WORK_ABILITY:
        explanation.add(
            "Kunta tai kuntayhtymä työnantajana: sallittu alentuneen työkyvyn perusteella.",
            restricted.law,
            restricted,
        )
        return True
    min_age = parameter("pay_subsidy.restricted_employer_exception_min_age", facts.start)
    if age < min_age.integer():
        explanation.add(
            f"Kunta tai kuntayhtymä työnantajana: palkkatukea vain alentuneen työkyvyn "
            f"perusteella tai {min_age.value} vuotta täyttäneelle pitkäaikaistyöttömälle; "
            f"ikä {age}.",
            restricted.law,
            restricted,
            min_age,
        )
        return False
    if facts.long_term_unemployed is None:
        raise missing_fact(
            "long_term_unemployed", "kuntatyönantaja ja vähintään 60-vuotias henkilö 2025 alkaen"
        )
    explanation.add(
        f"Kunta tai kuntayhtymä työnantajana: {age}-vuotias, pitkäaikaistyötön: "
        f"{'kyllä' if facts.long_term_unemployed else 'ei'}.",
        restricted.law,
        restricted,
        min_age,
    )
    return facts.long_term_unemployed


def _model_2015(facts: PaySubsidyFacts, explanation: Explanation) -> PaySubsidyResult:
    cap = parameter("pay_subsidy.monthly_cap_2015_model", facts.start)
    if facts.basis is PaySubsidyBasis.SKILLS:
        tiers = parameter("pay_subsidy.skills_tiers", facts.start)
        tier = _tier_for(tiers.tiers(), facts)
        explanation.add(
            f"Osaamisvaje: {_tier_text(tier)} → {tier.rate} %, kesto "
            f"{_months(tier.duration_months)}.",
            tiers.law,
            tiers,
        )
        return _with_cap(True, tier.rate, tier.duration_months, cap, explanation)
    if facts.basis is PaySubsidyBasis.REDUCED_WORK_ABILITY:
        rate = parameter("pay_subsidy.reduced_work_ability_rate", facts.start)
        duration = parameter("pay_subsidy.reduced_work_ability_duration_months", facts.start)
        explanation.add(
            f"Alentunut työkyky: {rate.value} %, kesto {_months(duration.optional_integer())}.",
            rate.law,
            rate,
            duration,
        )
        return _with_cap(
            True, rate.optional_integer(), duration.optional_integer(), cap, explanation
        )
    if facts.basis is PaySubsidyBasis.ASSOCIATION:
        rate = parameter("pay_subsidy.association_rate", facts.start)
        explanation.add(
            "Yhdistysten 100 %:n palkkatuen ehtoja ennen 1.7.2023 ei ole selvitetty: "
            "myönnettävyyttä, määrää ja kestoa ei voida ratkaista.",
            rate.law,
            rate,
        )
        return PaySubsidyResult(None, None, None, None)
    explanation.add(
        "55 vuotta täyttäneiden työllistämistuki on ollut käytössä vasta 1.7.2023 alkaen.",
        "916/2012 7 luku (HE 175/2022)",
    )
    return NOT_ALLOWED


def _model_2023(facts: PaySubsidyFacts, age: int, explanation: Explanation) -> PaySubsidyResult:
    start = facts.start
    if facts.basis is PaySubsidyBasis.SKILLS:
        rate = parameter("pay_subsidy.skills_rate", start)
        tiers = parameter("pay_subsidy.skills_duration_tiers", start)
        tier = _tier_for(tiers.tiers(), facts)
        explanation.add(
            f"Osaamisvaje: {rate.value} %; kesto {_tier_text(tier)} → "
            f"{_months(tier.duration_months)}.",
            rate.law,
            rate,
            tiers,
        )
        cap = parameter("pay_subsidy.skills_monthly_cap", start)
        return _with_cap(True, rate.integer(), tier.duration_months, cap, explanation)
    if facts.basis is PaySubsidyBasis.REDUCED_WORK_ABILITY:
        rate = parameter("pay_subsidy.reduced_work_ability_rate", start)
        duration = parameter("pay_subsidy.reduced_work_ability_duration_months", start)
        explanation.add(
            f"Alentunut työkyky: {rate.value} %, ensin {duration.value} kk, sen jälkeen "
            "24 kuukauden jaksoina työkyvyn alentuman jatkuessa.",
            rate.law,
            rate,
            duration,
        )
        cap = parameter("pay_subsidy.reduced_work_ability_monthly_cap", start)
        return _with_cap(True, rate.integer(), duration.integer(), cap, explanation)
    if facts.basis is PaySubsidyBasis.AGE55:
        return _age55(facts, age, explanation)
    return _association(facts, explanation)


def _age55(facts: PaySubsidyFacts, age: int, explanation: Explanation) -> PaySubsidyResult:
    start = facts.start
    min_age = parameter("pay_subsidy.age55_min_age", start)
    min_months = parameter("pay_subsidy.age55_min_unemployed_months_of_28", start)
    hours = parameter("pay_subsidy.age55_min_hours_per_week", start)
    eligible = (
        age >= min_age.integer() and facts.unemployed_months_of_last_28 >= min_months.integer()
    )
    explanation.add(
        f"55+ työllistämistuki: ikä {age} (vähintään {min_age.value}), työttömänä "
        f"{facts.unemployed_months_of_last_28}/28 kk (vähintään {min_months.value}): "
        f"{'täyttyy' if eligible else 'ei täyty'}. Työajan on oltava vähintään "
        f"{hours.value} h viikossa.",
        min_age.law,
        min_age,
        min_months,
        hours,
    )
    if not eligible:
        return NOT_ALLOWED
    rate = parameter("pay_subsidy.age55_rate", start)
    duration = parameter("pay_subsidy.age55_duration_months", start)
    explanation.add(
        f"Tuki {rate.value} %, kesto {duration.value} kk (enintään työsuhteen pituus).",
        rate.law,
        rate,
        duration,
    )
    cap = parameter("pay_subsidy.age55_monthly_cap", start)
    return _with_cap(True, rate.integer(), duration.integer(), cap, explanation)


def _association(facts: PaySubsidyFacts, explanation: Explanation) -> PaySubsidyResult:
    start = facts.start
    employers = parameter("pay_subsidy.association_employer_types", start)
    if facts.employer_type.value not in employers.strings():
        explanation.add(
            "100 %:n palkkatuki on vain yhdistyksille, säätiöille ja rekisteröidyille "
            "uskonnollisille yhdyskunnille.",
            employers.law,
            employers,
        )
        return NOT_ALLOWED
    rate = parameter("pay_subsidy.association_rate", start)
    working_time = parameter("pay_subsidy.association_max_working_time_percent", start)
    duration = parameter("pay_subsidy.association_duration_months", start)
    explanation.add(
        f"Yhteisötyönantaja: {rate.value} % enintään {working_time.value} %:n työajalla "
        f'("tietyissä tilanteissa"); kesto {_months(duration.optional_integer())}.',
        rate.law,
        employers,
        rate,
        working_time,
        duration,
    )
    cap = parameter("pay_subsidy.association_monthly_cap", start)
    return _with_cap(True, rate.integer(), duration.optional_integer(), cap, explanation)


def _with_cap(
    allowed: bool,
    rate: int | None,
    duration: int | None,
    cap: ParameterValue,
    explanation: Explanation,
) -> PaySubsidyResult:
    amount = cap.optional_money()
    explanation.add(
        f"Enimmäismäärä kuukaudessa: {'ei tiedossa' if amount is None else f'{amount} €'}.",
        cap.law,
        cap,
    )
    return PaySubsidyResult(allowed, rate, duration, amount)


def _tier_for(tiers: tuple[Tier, ...], facts: PaySubsidyFacts) -> Tier:
    """The first tier whose unemployment requirement the person meets."""
    for tier in tiers:
        if tier.window_months is None or _meets(
            tier.window_months, tier.min_unemployed_months, facts
        ):
            return tier
    raise ValueError("pay-subsidy tiers must end with a catch-all tier")


def _meets(window: int, needed: int, facts: PaySubsidyFacts) -> bool:
    long_window = facts.unemployed_months_of_last_28
    if window == LONG_WINDOW_MONTHS:
        return long_window >= needed
    # Months unemployed in a shorter window never exceed those in the last 28.
    if long_window < needed:
        return False
    if window != SHORT_WINDOW_MONTHS:
        raise ValueError(f"no fact gives unemployment in the last {window} months")
    if facts.unemployed_months_of_last_14 is None:
        raise missing_fact(
            "unemployed_months_of_last_14",
            "tarvitaan ennen 1.7.2023 alkavan osaamisvajepalkkatuen porrastukseen",
        )
    return facts.unemployed_months_of_last_14 >= needed


def _tier_text(tier: Tier) -> str:
    if tier.window_months is None:
        return "muut tapaukset"
    return f"työttömänä vähintään {tier.min_unemployed_months}/{tier.window_months} kk"


def _months(months: int | None) -> str:
    return "ei tiedossa" if months is None else f"{months} kk"


@dataclass(frozen=True, slots=True)
class PaySubsidyAmountFacts:
    """One month of a subsidised employment.

    ``rate`` and ``monthly_cap`` come from :func:`decide_pay_subsidy` for the start date;
    ``days_covered`` of ``days_in_month`` are the month's days within the subsidy period.
    """

    wage_costs: Decimal
    rate: int
    monthly_cap: Decimal | None
    days_covered: int
    days_in_month: int


@dataclass(frozen=True, slots=True)
class PaySubsidyAmountResult:
    amount: Decimal
    capped: bool


def decide_pay_subsidy_amount(
    facts: PaySubsidyAmountFacts, as_of: date
) -> Decision[PaySubsidyAmountResult]:
    """The month's subsidy: min(wage costs × rate %, monthly cap), in proportion to days.

    A month only partly within the subsidy period gets ``days_covered / days_in_month``
    of the full month's amount (local practice; the claim reports actual days).

    Args:
        facts: the month's wage costs, the decided rate and cap, and the covered days.
        as_of: the evaluation date (unused: the rate and cap already carry the law).
    """
    if not 0 <= facts.days_covered <= facts.days_in_month or facts.days_in_month < 1:
        raise ValueError("days_covered must be between 0 and days_in_month")
    explanation = Explanation()
    share = percent_of(facts.wage_costs, facts.rate)
    capped = facts.monthly_cap is not None and share > facts.monthly_cap
    month_amount = facts.monthly_cap if capped and facts.monthly_cap is not None else share
    explanation.add(
        f"Palkkakustannukset {format_money(facts.wage_costs)} € × {facts.rate} % = "
        f"{format_money(share)} €; enimmäismäärä "
        f"{'ei tiedossa' if facts.monthly_cap is None else format_money(facts.monthly_cap) + ' €'}"
        f" → {format_money(month_amount)} € kuukaudessa.",
        "916/2012 7 luku",
    )
    amount = month_amount
    if facts.days_covered != facts.days_in_month:
        amount = cents(month_amount * facts.days_covered / facts.days_in_month)
        explanation.add(
            f"Tukijaksoa {facts.days_covered}/{facts.days_in_month} kuukauden päivästä → "
            f"{format_money(amount)} €.",
        )
    return explanation.decide(PaySubsidyAmountResult(amount, capped))
