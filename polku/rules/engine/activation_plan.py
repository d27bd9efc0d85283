"""Obligation to draw up an activation plan (aktivointisuunnitelma), act 189/2001 § 3.

Criteria as read from the statute (LEGAL.md ADDENDUM § 1, wording 937/2012, unchanged in
substance by 1384/2021 and 399/2023):

* Under 25 (§ 3(1)): (1) an employment plan and labour market subsidy for at least 180 days
  in the last 12 calendar months; (2) an employment plan and the daily allowance paid for the
  full maximum period; (3) social assistance due to unemployment as main income for the last
  4 months and a job-seeker interview (to 1.5.2022) or job-search discussion (from 2.5.2022).
* 25 or older (§ 3(2)), always with an earlier employment plan: (1) labour market subsidy for
  at least 500 days; (2) at least 180 days of it after the maximum period; (3) social
  assistance due to unemployment as main income for the last 12 months.

The employment authority starts the process for items 1–2 and social services (municipality,
wellbeing services county from 2023) for item 3 (§ 5(4)).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from polku.rules.engine.calendar import age_on
from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.parameters import ParameterValue, parameter
from polku.rules.engine.pending import HE_108_2025, HE_109_2025, note_pending_bills

LAW = "189/2001 § 3"


class MainIncome(StrEnum):
    """The person's main income (pääasiallinen toimeentulo)."""

    UNEMPLOYMENT_BENEFIT = "unemployment_benefit"
    SOCIAL_ASSISTANCE = "social_assistance"
    OTHER = "other"


class Initiator(StrEnum):
    """Who must start the activation-plan process."""

    EMPLOYMENT_AUTHORITY = "employment_authority"
    SOCIAL_SERVICES = "social_services"


class Criterion(StrEnum):
    """The items of 189/2001 § 3(1) and § 3(2)."""

    UNDER25_LMS_DAYS = "under25_lms_days_last_12_months"
    UNDER25_MAX_PERIOD = "under25_daily_allowance_max_period"
    UNDER25_SOCIAL_ASSISTANCE = "under25_social_assistance"
    OVER25_LMS_DAYS = "over25_lms_days_total"
    OVER25_AFTER_MAX_PERIOD = "over25_lms_days_after_max_period"
    OVER25_SOCIAL_ASSISTANCE = "over25_social_assistance"


SOCIAL_SERVICES_CRITERIA = frozenset(
    {Criterion.UNDER25_SOCIAL_ASSISTANCE, Criterion.OVER25_SOCIAL_ASSISTANCE}
)


@dataclass(frozen=True, slots=True)
class ActivationPlanFacts:
    """Facts about one person on the evaluation date."""

    birth_date: date
    main_income: MainIncome
    lms_days_total: int
    lms_days_last_12_months: int
    lms_days_after_max_period: int
    daily_allowance_max_period_exhausted: bool
    social_assistance_months: int
    has_employment_plan: bool
    job_search_discussion_held: bool


@dataclass(frozen=True, slots=True)
class ActivationPlanResult:
    """Whether a plan is required, who starts it and which § 3 items are met."""

    required: bool
    initiator: Initiator | None
    criteria_met: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The § 3 numbers in force on one date, as plain ints for fast screening."""

    age_limit: int
    under25_lms_days: int
    under25_social_assistance_months: int
    over25_lms_days_total: int
    over25_lms_days_after_max_period: int
    over25_social_assistance_months: int


@functools.lru_cache(maxsize=1024)
def thresholds_on(as_of: date) -> Thresholds:
    """The § 3 thresholds in force on ``as_of``."""
    return Thresholds(
        age_limit=_param("age_limit", as_of).integer(),
        under25_lms_days=_param("under25_lms_days_last_12_months", as_of).integer(),
        under25_social_assistance_months=_param(
            "under25_social_assistance_months", as_of
        ).integer(),
        over25_lms_days_total=_param("over25_lms_days_total", as_of).integer(),
        over25_lms_days_after_max_period=_param(
            "over25_lms_days_after_max_period", as_of
        ).integer(),
        over25_social_assistance_months=_param("over25_social_assistance_months", as_of).integer(),
    )


def criteria_checks(
    facts: ActivationPlanFacts, as_of: date, thresholds: Thresholds
) -> tuple[tuple[Criterion, bool], ...]:
    """Each § 3 item that applies to the person's age group and whether it is met.

    This is the single statement of the rule; :func:`decide_activation_plan` explains it
    and ``batch`` screens whole client bases with it. A person whose main income is neither
    unemployment benefit nor social assistance is outside § 3: no items apply.
    """
    if facts.main_income is MainIncome.OTHER:
        return ()
    plan = facts.has_employment_plan
    on_social_assistance = facts.main_income is MainIncome.SOCIAL_ASSISTANCE
    if age_on(facts.birth_date, as_of) < thresholds.age_limit:
        return (
            (
                Criterion.UNDER25_LMS_DAYS,
                plan and facts.lms_days_last_12_months >= thresholds.under25_lms_days,
            ),
            (Criterion.UNDER25_MAX_PERIOD, plan and facts.daily_allowance_max_period_exhausted),
            (
                Criterion.UNDER25_SOCIAL_ASSISTANCE,
                on_social_assistance
                and facts.social_assistance_months >= thresholds.under25_social_assistance_months
                and facts.job_search_discussion_held,
            ),
        )
    # § 3(2) lead-in: a plan made earlier is required for all three items.
    return (
        (
            Criterion.OVER25_LMS_DAYS,
            plan and facts.lms_days_total >= thresholds.over25_lms_days_total,
        ),
        (
            Criterion.OVER25_AFTER_MAX_PERIOD,
            plan and facts.lms_days_after_max_period >= thresholds.over25_lms_days_after_max_period,
        ),
        (
            Criterion.OVER25_SOCIAL_ASSISTANCE,
            plan
            and on_social_assistance
            and facts.social_assistance_months >= thresholds.over25_social_assistance_months,
        ),
    )


def initiator_for(criteria_met: tuple[Criterion, ...]) -> Initiator | None:
    """Employment authority if an item 1–2 criterion is met, else social services (§ 5(4))."""
    if not criteria_met:
        return None
    if all(criterion in SOCIAL_SERVICES_CRITERIA for criterion in criteria_met):
        return Initiator.SOCIAL_SERVICES
    return Initiator.EMPLOYMENT_AUTHORITY


def decide_activation_plan(
    facts: ActivationPlanFacts, as_of: date
) -> Decision[ActivationPlanResult]:
    """Decide whether an activation plan must be drawn up (aktivointisuunnitelma).

    Args:
        facts: the person's age, income and benefit history on ``as_of``.
        as_of: the date the obligation is assessed on.

    Returns:
        The decision: ``required``, ``initiator`` and the § 3 items met, explained.
    """
    thresholds = thresholds_on(as_of)
    checks = criteria_checks(facts, as_of, thresholds)
    explanation = Explanation()
    age = age_on(facts.birth_date, as_of)
    under25 = age < thresholds.age_limit
    explanation.add(
        f"Ikä {as_of.isoformat()}: {age} vuotta (syntynyt {facts.birth_date.isoformat()}); "
        + (
            "sovelletaan alle 25-vuotiaiden kriteerejä (§ 3(1))."
            if under25
            else "sovelletaan 25 vuotta täyttäneiden kriteerejä (§ 3(2))."
        ),
        LAW,
        _param("age_limit", as_of),
    )
    note_pending_bills(explanation, as_of, HE_109_2025, HE_108_2025)
    if not checks:
        explanation.add(
            "Pääasiallinen toimeentulo ei ole työttömyysetuus eikä toimeentulotuki: henkilö ei "
            "ole § 3:ssa tarkoitettu työtön etuudensaaja.",
            LAW,
        )
    else:
        if not under25 and not facts.has_employment_plan:
            explanation.add(
                "25 vuotta täyttäneellä kaikki § 3(2):n kohdat edellyttävät aiemmin laadittua "
                "työllistymissuunnitelmaa; sitä ei ole.",
                "189/2001 § 3(2)",
            )
        for criterion, met in checks:
            text, law, used = _describe(criterion, facts, as_of)
            explanation.add(f"{text}: {'täyttyy' if met else 'ei täyty'}.", law, *used)
    criteria_met = tuple(criterion for criterion, met in checks if met)
    initiator = initiator_for(criteria_met)
    if initiator is not None:
        _explain_initiator(explanation, initiator, as_of)
    else:
        explanation.add("Mikään § 3:n kriteeri ei täyty: aktivointisuunnitelmaa ei vaadita.", LAW)
    return explanation.decide(ActivationPlanResult(initiator is not None, initiator, criteria_met))


def _explain_initiator(explanation: Explanation, initiator: Initiator, as_of: date) -> None:
    if initiator is Initiator.EMPLOYMENT_AUTHORITY:
        body = _param("employment_authority_body", as_of)
        explanation.add(
            f"Aktivointisuunnitelma vaaditaan. Prosessin käynnistää {body.text()} "
            "(§ 3:n 1–2 kohta, Kelan ilmoitus § 27).",
            "189/2001 § 5(4)",
            body,
        )
    else:
        body = _param("social_services_body", as_of)
        explanation.add(
            f"Aktivointisuunnitelma vaaditaan. Prosessin käynnistää {body.text()} "
            "(§ 3:n 3 kohta, toimeentulotuki).",
            "189/2001 § 5(4)",
            body,
        )


def _describe(
    criterion: Criterion, facts: ActivationPlanFacts, as_of: date
) -> tuple[str, str, tuple[ParameterValue, ...]]:
    """Text, law and parameters of one § 3 item, with the facts it looked at."""
    plan = (
        "työllistymissuunnitelma on laadittu"
        if facts.has_employment_plan
        else "työllistymissuunnitelmaa ei ole laadittu"
    )
    if criterion is Criterion.UNDER25_LMS_DAYS:
        days = _param("under25_lms_days_last_12_months", as_of)
        return (
            f"§ 3(1) 1: työmarkkinatukea viimeisten 12 kalenterikuukauden aikana "
            f"{facts.lms_days_last_12_months} pv (vaaditaan vähintään {days.value}), {plan}",
            days.law,
            (days,),
        )
    if criterion is Criterion.UNDER25_MAX_PERIOD:
        exhausted = "maksettu" if facts.daily_allowance_max_period_exhausted else "ei maksettu"
        return (
            f"§ 3(1) 2: päivärahaa {exhausted} koko enimmäisajalta (TTL 6:7), {plan}",
            "189/2001 § 3(1) 2 kohta",
            (),
        )
    if criterion is Criterion.UNDER25_SOCIAL_ASSISTANCE:
        months = _param("under25_social_assistance_months", as_of)
        meeting = _param("under25_social_assistance_meeting", as_of)
        held = "järjestetty" if facts.job_search_discussion_held else "ei järjestetty"
        return (
            f"§ 3(1) 3: pääasiallinen toimeentulo {_income(facts)}, toimeentulotukea "
            f"{facts.social_assistance_months} kk (vaaditaan vähintään {months.value} kk), "
            f"{meeting.text()} {held}",
            months.law,
            (months, meeting),
        )
    if criterion is Criterion.OVER25_LMS_DAYS:
        days = _param("over25_lms_days_total", as_of)
        return (
            f"§ 3(2) 1: työmarkkinatukea yhteensä {facts.lms_days_total} pv "
            f"(vaaditaan vähintään {days.value}), {plan}",
            days.law,
            (days,),
        )
    if criterion is Criterion.OVER25_AFTER_MAX_PERIOD:
        days = _param("over25_lms_days_after_max_period", as_of)
        return (
            f"§ 3(2) 2: työmarkkinatukea päivärahakauden jälkeen "
            f"{facts.lms_days_after_max_period} pv (vaaditaan vähintään {days.value}), {plan}",
            days.law,
            (days,),
        )
    months = _param("over25_social_assistance_months", as_of)
    return (
        f"§ 3(2) 3: pääasiallinen toimeentulo {_income(facts)}, toimeentulotukea "
        f"{facts.social_assistance_months} kk (vaaditaan vähintään {months.value} kk), {plan}",
        months.law,
        (months,),
    )


def _income(facts: ActivationPlanFacts) -> str:
    if facts.main_income is MainIncome.SOCIAL_ASSISTANCE:
        return "toimeentulotuki"
    return "työttömyysetuus"


def _param(key: str, as_of: date) -> ParameterValue:
    return parameter(f"activation_plan.{key}", as_of)
