"""KTT contract terms: the legal check (through the rules engine) and the schedule."""

from datetime import date, timedelta
from decimal import Decimal

from polku.rules.engine.ktt_contract import (
    ContractIssue,
    KttContractFacts,
    ProviderScope,
    decide_ktt_contract,
)
from polku.service_episodes.models import Placement

# Organisation practice from the seed (002), not law: the final evaluation is held at
# the latest two weeks before the contract ends, and the coach follows up every four weeks.
FINAL_EVALUATION_LEAD_DAYS = 14
FOLLOW_UP_INTERVAL_DAYS = 28


def ktt_validate(
    *,
    placement: Placement,
    start: date,
    end: date,
    days_per_week: int,
    hours_per_day: Decimal,
    today: date,
) -> tuple[ContractIssue, ...]:
    """The engine's errors for these terms (limits in force on ``start``); empty when valid."""
    decision = decide_ktt_contract(
        KttContractFacts(
            start,
            end,
            days_per_week,
            hours_per_day,
            placement.provider_type,
            ProviderScope(placement.provider.scope),
        ),
        today,
    )
    return decision.result.errors


def evaluation_date(end: date) -> date:
    """The final evaluation: at the latest ``FINAL_EVALUATION_LEAD_DAYS`` before the end."""
    return end - timedelta(days=FINAL_EVALUATION_LEAD_DAYS)


def follow_up_dates(start: date, end: date) -> list[date]:
    """Follow-up meetings every ``FOLLOW_UP_INTERVAL_DAYS`` before the final evaluation."""
    evaluation = evaluation_date(end)
    days: list[date] = []
    day = start + timedelta(days=FOLLOW_UP_INTERVAL_DAYS)
    while day < evaluation:
        days.append(day)
        day += timedelta(days=FOLLOW_UP_INTERVAL_DAYS)
    return days
