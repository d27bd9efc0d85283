"""Properties that must hold for any dates and amounts (hypothesis)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import holidays
from hypothesis import given
from hypothesis import strategies as st

from polku.rules.engine.calendar import (
    DeadlineUnit,
    add_months,
    deadline_after,
    is_working_day,
    public_holidays,
)
from polku.rules.engine.ktt_reimbursement import reimbursable_dates
from polku.rules.engine.municipal_share import (
    Benefit,
    MunicipalShareFacts,
    Payment,
    PaymentBasis,
    decide_municipal_share,
)
from polku.rules.engine.parameters import parameter
from polku.rules.engine.plan_review import PlanReviewFacts, PlanType, decide_plan_review_due

DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
# The oracle: the holidays package, an independent Finnish calendar. It and ours agree from
# 1991, when Epiphany and Ascension Day returned to their own dates (1973–1990 they were
# moved to Saturdays, which ours, made for deadlines from today on, does not model), to
# 2100, where the package's calendar ends.
FINNISH_HOLIDAYS = holidays.Finland()
MODERN_YEARS = st.integers(min_value=1991, max_value=2100)
MODERN_DAYS = st.dates(min_value=date(1991, 1, 1), max_value=date(2100, 12, 31))


@given(
    plan_type=st.sampled_from(PlanType),
    made_on=DAYS,
    review_after=st.none() | st.integers(min_value=0, max_value=800),
    as_of=DAYS,
)
def test_review_due_is_never_before_the_plan_date_or_the_latest_review(
    plan_type: PlanType, made_on: date, review_after: int | None, as_of: date
) -> None:
    last_review = None if review_after is None else made_on + timedelta(days=review_after)
    result = decide_plan_review_due(PlanReviewFacts(plan_type, made_on, last_review), as_of).result
    if result.due is not None:
        assert result.due > (last_review or made_on) >= made_on
        assert result.due_working_day is not None
        assert result.due_working_day >= result.due


@st.composite
def payments(draw: st.DrawFn) -> Payment:
    start = draw(DAYS)
    length = draw(st.integers(min_value=0, max_value=40))
    days = draw(st.integers(min_value=1, max_value=length + 1))
    return Payment(
        period_start=start,
        period_end=start + timedelta(days=length),
        days=days,
        amount=Decimal(draw(st.integers(min_value=0, max_value=500_000))) / 100,
        benefit=draw(st.sampled_from(Benefit)),
        basis=draw(st.sampled_from(PaymentBasis)),
    )


@given(payment_list=st.lists(payments(), max_size=6), counter_before=st.integers(0, 100))
def test_share_is_zero_while_the_counter_stays_below_the_first_threshold(
    payment_list: list[Payment], counter_before: int
) -> None:
    if counter_before + sum(payment.days for payment in payment_list) > 100:
        return
    facts = MunicipalShareFacts(tuple(payment_list), counter_before)
    assert decide_municipal_share(facts, date(2030, 12, 31)).result.share == 0


@given(payment_list=st.lists(payments(), max_size=6), counter_before=st.integers(0, 2000))
def test_share_lines_add_up_and_never_exceed_seventy_percent(
    payment_list: list[Payment], counter_before: int
) -> None:
    result = decide_municipal_share(
        MunicipalShareFacts(tuple(payment_list), counter_before), date(2030, 12, 31)
    ).result
    assert result.share == sum((line.share for line in result.lines), Decimal(0))
    paid = sum((payment.amount for payment in payment_list), Decimal(0))
    # Each line may round half a cent up.
    assert result.share <= paid * 7 / 10 + Decimal("0.005") * len(result.lines)
    per_payment = Counter[int]()
    for line in result.lines:
        per_payment[line.payment] += line.days
        assert line.days >= 0
        assert line.base >= 0
        assert line.rate in {0, 10, 20, 30, 40, 50, 70}
    for index, payment in enumerate(payment_list):
        assert per_payment[index] == payment.days
    counters = [counter_before] + [line.counter_after for line in result.lines]
    assert counters == sorted(counters)


@given(st.lists(DAYS, max_size=60))
def test_reimbursable_days_per_iso_week_never_exceed_the_cap(attendance: list[date]) -> None:
    reimbursed = reimbursable_dates(attendance)
    assert set(reimbursed) <= set(attendance)
    weeks = Counter(day.isocalendar()[:2] for day in reimbursed)
    for day in reimbursed:
        cap = max(
            parameter("ktt.reimbursed_days_per_week_max", other).integer()
            for other in reimbursed
            if other.isocalendar()[:2] == day.isocalendar()[:2]
        )
        assert weeks[day.isocalendar()[:2]] <= cap


@given(event=DAYS, count=st.integers(0, 400), unit=st.sampled_from(DeadlineUnit))
def test_a_deadline_never_falls_on_a_weekend_or_holiday(
    event: date, count: int, unit: DeadlineUnit
) -> None:
    deadline = deadline_after(event, count, unit)
    assert is_working_day(deadline.due)
    assert deadline.due.weekday() < 5
    assert deadline.due not in FINNISH_HOLIDAYS
    skipped = deadline.unshifted
    while skipped < deadline.due:
        assert not is_working_day(skipped)
        skipped += timedelta(days=1)


@given(start=DAYS, months=st.integers(min_value=-60, max_value=60))
def test_add_months_lands_in_the_right_month_on_the_same_or_last_day(
    start: date, months: int
) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (
        result.day < start.day and (result + timedelta(days=1)).day == 1
    )


@given(year=MODERN_YEARS)
def test_public_holidays_are_the_holidays_packages_finnish_ones(year: int) -> None:
    assert set(public_holidays(year)) == set(holidays.Finland(years=year))


@given(day=MODERN_DAYS)
def test_a_working_day_is_a_weekday_the_holidays_package_has_no_holiday_on(day: date) -> None:
    assert is_working_day(day) is (day.weekday() < 5 and day not in FINNISH_HOLIDAYS)
