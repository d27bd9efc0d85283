"""Facts for the rules engine, built from a client's record (the ORM → engine adapter).

Later capabilities (worklist, KTT, share list) call these instead of re-reading the law.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet

from polku.clients.models import Client, MainIncome
from polku.rules.engine.activation_plan import ActivationPlanFacts
from polku.rules.engine.activation_plan import MainIncome as EngineIncome
from polku.rules.engine.typ_target_group import TypFacts

# The engine knows the § 3 income routes; both unemployment benefits take the benefit route.
INCOME_ROUTE = {
    MainIncome.UNEMPLOYMENT_BENEFIT: EngineIncome.UNEMPLOYMENT_BENEFIT,
    MainIncome.LABOUR_MARKET_SUBSIDY: EngineIncome.UNEMPLOYMENT_BENEFIT,
    MainIncome.SOCIAL_ASSISTANCE: EngineIncome.SOCIAL_ASSISTANCE,
    MainIncome.OTHER: EngineIncome.OTHER,
}
ACTIVATION_FIELDS = (
    "birth_date",
    "main_income",
    "lms_days_total",
    "lms_days_last_12_months",
    "lms_days_after_max_period",
    "daily_allowance_max_period_exhausted",
    "social_assistance_months",
    "has_employment_plan",
    "job_search_discussion_held",
)


def activation_plan_facts(
    *,
    birth_date: date,
    main_income: str,
    lms_days_total: int,
    lms_days_last_12_months: int,
    lms_days_after_max_period: int,
    daily_allowance_max_period_exhausted: bool,
    social_assistance_months: int,
    has_employment_plan: bool,
    job_search_discussion_held: bool,
) -> ActivationPlanFacts:
    return ActivationPlanFacts(
        birth_date=birth_date,
        main_income=INCOME_ROUTE[MainIncome(main_income)],
        lms_days_total=lms_days_total,
        lms_days_last_12_months=lms_days_last_12_months,
        lms_days_after_max_period=lms_days_after_max_period,
        daily_allowance_max_period_exhausted=daily_allowance_max_period_exhausted,
        social_assistance_months=social_assistance_months,
        has_employment_plan=has_employment_plan,
        job_search_discussion_held=job_search_discussion_held,
    )


def client_activation_plan_facts(client: Client) -> ActivationPlanFacts:
    return activation_plan_facts(**{field: getattr(client, field) for field in ACTIVATION_FIELDS})


def months_between(start: date | None, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when unknown or in the future)."""
    if start is None or start > end:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def client_typ_facts(client: Client, as_of: date) -> TypFacts:
    return TypFacts(
        birth_date=client.birth_date,
        lms_days_total=client.lms_days_total,
        continuous_unemployment_months=months_between(client.unemployment_started_on, as_of),
    )


def activation_plan_facts_of(
    clients: QuerySet[Client], *key_fields: str, chunk_size: int = 5000
) -> Iterator[tuple[tuple[Any, ...], ActivationPlanFacts]]:
    """Each client's facts in one streamed query, for the batch screening.

    The key of each pair holds the client's ``pk`` and then ``key_fields``.
    """
    width = 1 + len(key_fields)
    rows = clients.values_list("pk", *key_fields, *ACTIVATION_FIELDS).iterator(
        chunk_size=chunk_size
    )
    for row in rows:
        facts = dict(zip(ACTIVATION_FIELDS, row[width:], strict=True))
        yield row[:width], activation_plan_facts(**facts)
