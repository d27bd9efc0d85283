"""Limits of a rehabilitative work activity contract (kuntouttava työtoiminta, KTT).

Act 189/2001 § 13: a period of 3–24 months, 1–4 days a week (5 before 1.7.2015, L 142/2015)
and at least 4 hours a day; § 6: KTT may not be bought from a company (support and guidance
may), so a placement whose provider gives only support and guidance cannot host it. All
limits are those in force on the contract's start date (LEGAL.md §§ 1.2, 2.8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from polku.rules.engine.calendar import add_months
from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.parameters import parameter

LAW = "189/2001 § 13"
LAW_PROVIDER = "189/2001 § 6"


class ProviderType(StrEnum):
    """Who provides the activity (toimintapaikan ylläpitäjä)."""

    MUNICIPALITY = "municipality"
    WELLBEING_COUNTY = "wellbeing_county"
    ASSOCIATION = "association"
    FOUNDATION = "foundation"
    COMPANY = "company"


class ProviderScope(StrEnum):
    """What the placement's provider gives: the work activity, or only support and guidance."""

    WORK_ACTIVITY = "work_activity"
    SUPPORT_ONLY = "support_only"


@dataclass(frozen=True, slots=True)
class KttContractFacts:
    """The contract terms to validate."""

    start: date
    end: date
    days_per_week: int
    hours_per_day: Decimal
    provider_type: ProviderType
    provider_scope: ProviderScope = ProviderScope.WORK_ACTIVITY


@dataclass(frozen=True, slots=True)
class ContractIssue:
    """A broken limit (error) or an unverified limit exceeded (warning)."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class KttContractResult:
    """``valid`` is False when there is any error; warnings do not invalidate."""

    valid: bool
    errors: tuple[ContractIssue, ...]
    warnings: tuple[ContractIssue, ...]


def decide_ktt_contract(facts: KttContractFacts, as_of: date) -> Decision[KttContractResult]:
    """Validate a KTT contract against the limits in force on its start date.

    A period of N months runs from the start day up to the day before the same-numbered day
    N months later (start 1.1. + 3 months = up to 31.3.).

    Args:
        facts: the contract's dates, days a week, hours a day and provider type.
        as_of: the evaluation date (the limits come from ``facts.start``).
    """
    explanation = Explanation()
    errors: list[ContractIssue] = []
    warnings: list[ContractIssue] = []
    start = facts.start
    explanation.add(
        f"Rajat sovelletaan sopimuksen alkamispäivänä {start.isoformat()} voimassa olevina "
        f"(arviointipäivä {as_of.isoformat()}).",
        LAW,
    )
    if facts.end < start:
        errors.append(ContractIssue("end_before_start", "Päättymispäivä on ennen alkamispäivää."))
        explanation.add(errors[-1].message, LAW)
    else:
        _check_period(facts, explanation, errors)
    _check_days(facts, explanation, errors)
    _check_hours(facts, explanation, errors, warnings)
    _check_provider(facts, explanation, errors, warnings)
    return explanation.decide(KttContractResult(not errors, tuple(errors), tuple(warnings)))


def _check_period(
    facts: KttContractFacts, explanation: Explanation, errors: list[ContractIssue]
) -> None:
    minimum = parameter("ktt.period_months_min", facts.start)
    maximum = parameter("ktt.period_months_max", facts.start)
    shortest_end = add_months(facts.start, minimum.integer()) - timedelta(days=1)
    longest_end = add_months(facts.start, maximum.integer()) - timedelta(days=1)
    if facts.end < shortest_end:
        errors.append(
            ContractIssue(
                "period_too_short",
                f"Jakso on alle {minimum.value} kuukautta (päättyisi aikaisintaan "
                f"{shortest_end.isoformat()}).",
            )
        )
    elif facts.end > longest_end:
        errors.append(
            ContractIssue(
                "period_too_long",
                f"Jakso on yli {maximum.value} kuukautta (päättyisi viimeistään "
                f"{longest_end.isoformat()}).",
            )
        )
    explanation.add(
        f"Kesto {facts.start.isoformat()}–{facts.end.isoformat()}: sallittu päättymispäivä "
        f"{shortest_end.isoformat()}–{longest_end.isoformat()} ({minimum.value}–"
        f"{maximum.value} kk): {_ok(facts.end, shortest_end, longest_end)}.",
        minimum.law,
        minimum,
        maximum,
    )


def _check_days(
    facts: KttContractFacts, explanation: Explanation, errors: list[ContractIssue]
) -> None:
    minimum = parameter("ktt.days_per_week_min", facts.start)
    maximum = parameter("ktt.days_per_week_max", facts.start)
    within = minimum.integer() <= facts.days_per_week <= maximum.integer()
    if not within:
        errors.append(
            ContractIssue(
                "days_per_week_out_of_range",
                f"Päiviä viikossa {facts.days_per_week}; sallittu {minimum.value}–{maximum.value}.",
            )
        )
    explanation.add(
        f"Päiviä viikossa {facts.days_per_week} (sallittu {minimum.value}–{maximum.value}): "
        f"{'kunnossa' if within else 'virhe'}.",
        maximum.law,
        minimum,
        maximum,
    )


def _check_hours(
    facts: KttContractFacts,
    explanation: Explanation,
    errors: list[ContractIssue],
    warnings: list[ContractIssue],
) -> None:
    minimum = parameter("ktt.hours_per_day_min", facts.start)
    hours = facts.hours_per_day
    if hours < minimum.integer():
        errors.append(
            ContractIssue(
                "hours_per_day_too_low",
                f"Tunteja päivässä {hours}; vähintään {minimum.value}.",
            )
        )
    explanation.add(
        f"Tunteja päivässä {hours} (vähintään {minimum.value}): "
        f"{'virhe' if hours < minimum.integer() else 'kunnossa'}.",
        minimum.law,
        minimum,
    )
    maximum = parameter("ktt.hours_per_day_max", facts.start)
    if hours > maximum.integer():
        warnings.append(
            ContractIssue(
                "hours_per_day_above_unverified_max",
                f"Tunteja päivässä {hours} ylittää {maximum.value} h, jota ei ole vahvistettu "
                "laista.",
            )
        )
        explanation.add(warnings[-1].message, maximum.law, maximum)


def _check_provider(
    facts: KttContractFacts,
    explanation: Explanation,
    errors: list[ContractIssue],
    warnings: list[ContractIssue],
) -> None:
    if facts.provider_scope is ProviderScope.SUPPORT_ONLY and (
        facts.provider_type is not ProviderType.COMPANY
    ):
        errors.append(
            ContractIssue(
                "provider_support_only",
                "Paikan palveluntuottaja tuottaa vain tukea ja ohjausta, ei työtoimintaa.",
            )
        )
        explanation.add(errors[-1].message, LAW_PROVIDER)
    if facts.provider_type is not ProviderType.COMPANY:
        return
    allowed = parameter("ktt.company_provider_allowed", facts.start)
    rule = allowed.optional_flag()
    if rule is None:
        warnings.append(
            ContractIssue(
                "company_provider_unverified",
                "Yrityksen käyttämistä järjestäjänä tänä ajankohtana ei ole vahvistettu.",
            )
        )
        explanation.add(warnings[-1].message, allowed.law, allowed)
    elif not rule:
        errors.append(
            ContractIssue(
                "company_provider_not_allowed",
                "Kuntouttavaa työtoimintaa ei saa ostaa yritykseltä (tukea ja ohjausta saa).",
            )
        )
        explanation.add(errors[-1].message, allowed.law, allowed)


def _ok(end: date, shortest: date, longest: date) -> str:
    return "kunnossa" if shortest <= end <= longest else "virhe"
