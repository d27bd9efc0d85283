from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.plans.review_dates import ReviewDateTooLate, explain, review_schedule


@pytest.mark.parametrize(
    ("plan_type", "made_on", "last_review_on", "as_of", "expected"),
    [
        ("activation", date(2026, 11, 2), None, date(2026, 11, 24), date(2027, 2, 2)),
        ("activation", date(2026, 6, 1), date(2026, 10, 31), date(2026, 11, 24), date(2027, 1, 31)),
        # "As needed" until 1.5.2022: no statutory date while that law is in force.
        ("activation", date(2022, 1, 10), None, date(2022, 4, 30), None),
        # The 3-month rule of 2.5.2022 applies to an older plan from that day on.
        ("activation", date(2022, 1, 10), None, date(2022, 5, 2), date(2022, 4, 10)),
        ("multisector", date(2025, 11, 30), None, date(2025, 12, 1), date(2026, 2, 28)),
        ("coaching", date(2026, 11, 2), None, date(2026, 11, 24), None),
        ("assessment_period", date(2026, 11, 2), None, date(2026, 11, 24), None),
    ],
)
def test_review_schedule__statutory_date_comes_from_the_engine(
    plan_type: str, made_on: date, last_review_on: date | None, as_of: date, expected: date | None
) -> None:
    schedule = review_schedule(
        plan_type=plan_type,
        made_on=made_on,
        last_review_on=last_review_on,
        requested_on=None,
        as_of=as_of,
    )

    assert schedule.statutory == expected
    assert schedule.next == expected


@given(
    made_on=st.dates(min_value=date(2022, 5, 2), max_value=date(2030, 12, 31)),
    offset=st.integers(min_value=-200, max_value=200),
)
def test_review_schedule__earlier_date_allowed_later_refused(made_on: date, offset: int) -> None:
    statutory = review_schedule(
        plan_type="activation",
        made_on=made_on,
        last_review_on=None,
        requested_on=None,
        as_of=made_on,
    ).statutory
    assert statutory is not None
    requested = statutory + timedelta(days=offset)

    if offset > 0:
        with pytest.raises(ReviewDateTooLate):
            review_schedule(
                plan_type="activation",
                made_on=made_on,
                last_review_on=None,
                requested_on=requested,
                as_of=made_on,
            )
    else:
        schedule = review_schedule(
            plan_type="activation",
            made_on=made_on,
            last_review_on=None,
            requested_on=requested,
            as_of=made_on,
        )
        assert schedule.next == requested
        assert schedule.statutory == statutory


def test_explain__flags_unverified_parameters() -> None:
    schedule = review_schedule(
        plan_type="multisector",
        made_on=date(2024, 3, 1),
        last_review_on=None,
        requested_on=None,
        as_of=date(2024, 3, 1),
    )

    explained = explain(schedule.decision)

    assert explained is not None
    assert explained.unverified
    assert explained.result["due"] == "2024-06-01"
