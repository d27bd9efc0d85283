"""The per-day reimbursement and weekly cap a KTT claim period shows (189/2001 § 24)."""

from datetime import date
from decimal import Decimal

from polku.rules.engine.ktt_reimbursement import daily_rates


def test_daily_rates__one_line_when_nothing_changes_in_the_period() -> None:
    rates = daily_rates(date(2026, 1, 1), date(2026, 6, 30))

    assert [(r.starts, r.amount, r.weekly_cap) for r in rates] == [
        (date(2026, 1, 1), Decimal("10.09"), 4)
    ]


def test_daily_rates__a_new_line_where_the_weekly_cap_fell_to_four_on_1_july_2015() -> None:
    rates = daily_rates(date(2015, 6, 1), date(2015, 7, 31))

    assert [(r.starts, r.amount, r.weekly_cap) for r in rates] == [
        (date(2015, 6, 1), Decimal("10.09"), 5),
        (date(2015, 7, 1), Decimal("10.09"), 4),
    ]
    assert rates[0].law.startswith("189/2001")
