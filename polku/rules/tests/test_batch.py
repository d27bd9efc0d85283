"""The batch screening path gives the same answers as the explained decision."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from polku.rules.engine.activation_plan import (
    ActivationPlanFacts,
    Criterion,
    MainIncome,
    decide_activation_plan,
)
from polku.rules.engine.batch import activation_plan_criteria_many, activation_plan_required_many

FACTS = st.builds(
    ActivationPlanFacts,
    birth_date=st.dates(min_value=date(1955, 1, 1), max_value=date(2008, 12, 31)),
    main_income=st.sampled_from(MainIncome),
    lms_days_total=st.integers(0, 1500),
    lms_days_last_12_months=st.integers(0, 260),
    lms_days_after_max_period=st.integers(0, 600),
    daily_allowance_max_period_exhausted=st.booleans(),
    social_assistance_months=st.integers(0, 30),
    has_employment_plan=st.booleans(),
    job_search_discussion_held=st.booleans(),
)
AS_OF = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31))


@given(clients=st.lists(FACTS, max_size=20), as_of=AS_OF)
def test_batch_screening_matches_the_explained_decision_for_every_client(
    clients: list[ActivationPlanFacts], as_of: date
) -> None:
    items = list(enumerate(clients))
    required = dict(activation_plan_required_many(items, as_of))
    criteria = dict(activation_plan_criteria_many(items, as_of))
    for key, facts in items:
        decision = decide_activation_plan(facts, as_of).result
        assert required[key] is decision.required
        assert criteria[key] == decision.criteria_met


def test_batch_screening_is_lazy_and_keeps_the_callers_keys() -> None:
    facts = ActivationPlanFacts(
        birth_date=date(1980, 1, 1),
        main_income=MainIncome.UNEMPLOYMENT_BENEFIT,
        lms_days_total=500,
        lms_days_last_12_months=0,
        lms_days_after_max_period=0,
        daily_allowance_max_period_exhausted=False,
        social_assistance_months=0,
        has_employment_plan=True,
        job_search_discussion_held=False,
    )
    screened = activation_plan_criteria_many(iter([("client-1", facts)]), date(2024, 1, 1))
    assert next(screened) == ("client-1", (Criterion.OVER25_LMS_DAYS,))
