"""The reimbursement allocation never creates or loses a cent (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from polku.rules.engine.ktt_provider import Arrangement
from polku.rules.engine.ktt_reimbursement import KttReimbursementFacts, decide_ktt_reimbursement
from polku.rules.engine.ktt_reimbursement_allocation import (
    AllocationFacts,
    AllocationUnit,
    AttendedDay,
    decide_reimbursement_allocation,
)

UNITS = (
    AllocationUnit("oma", Arrangement.OWN_PRODUCTION, 100),
    AllocationUnit("puolet", Arrangement.OWN_PRODUCTION, 50),
    AllocationUnit("ostettu", Arrangement.PURCHASED, 0),
    AllocationUnit("yhteistyo", Arrangement.COOPERATION, 0),
)
START = date(2024, 1, 1)
DAY = st.builds(
    AttendedDay,
    st.integers(min_value=0, max_value=120).map(lambda offset: START + timedelta(days=offset)),
    st.sampled_from([unit.unit for unit in UNITS] + [None]),
)
PARTICIPANTS = st.lists(st.lists(DAY, max_size=40).map(tuple), max_size=6).map(tuple)


@settings(deadline=None)
@given(participants=PARTICIPANTS)
def test_allocation_adds_up_to_the_claims_amount_and_splits_it_without_losing_a_cent(
    participants: tuple[tuple[AttendedDay, ...], ...],
) -> None:
    as_of = START + timedelta(days=150)
    result = decide_reimbursement_allocation(AllocationFacts(UNITS, participants), as_of).result

    claim = Decimal(0)
    for days in participants:
        first_unit = {day.day: day for day in reversed(days)}  # one unit a day, as counted
        claim += decide_ktt_reimbursement(
            KttReimbursementFacts(tuple(first_unit)), as_of
        ).result.amount
    assert result.reimbursement == claim
    assert result.allocated + result.retained == result.reimbursement
    for line in result.lines:
        assert line.allocated + line.retained == line.reimbursement
        assert Decimal(0) <= line.allocated <= line.reimbursement
        if line.arrangement is Arrangement.COOPERATION or line.unit is None:
            assert line.allocated == 0
