"""Finnish calendar: holidays (LEGAL.md § 4.2), month arithmetic and 150/1930 deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from polku.rules.engine.calendar import (
    DeadlineUnit,
    add_months,
    age_on,
    deadline_after,
    easter_sunday,
    is_working_day,
    next_working_day,
    public_holidays,
)

HOLIDAYS = {
    2024: {
        date(2024, 1, 1): "uudenvuodenpäivä",
        date(2024, 1, 6): "loppiainen",
        date(2024, 3, 29): "pitkäperjantai",
        date(2024, 3, 31): "pääsiäispäivä",
        date(2024, 4, 1): "2. pääsiäispäivä",
        date(2024, 5, 1): "vappu",
        date(2024, 5, 9): "helatorstai",
        date(2024, 5, 19): "helluntaipäivä",
        date(2024, 6, 21): "juhannusaatto",
        date(2024, 6, 22): "juhannuspäivä",
        date(2024, 11, 2): "pyhäinpäivä",
        date(2024, 12, 6): "itsenäisyyspäivä",
        date(2024, 12, 24): "jouluaatto",
        date(2024, 12, 25): "joulupäivä",
        date(2024, 12, 26): "tapaninpäivä",
    },
    2025: {
        date(2025, 1, 1): "uudenvuodenpäivä",
        date(2025, 1, 6): "loppiainen",
        date(2025, 4, 18): "pitkäperjantai",
        date(2025, 4, 20): "pääsiäispäivä",
        date(2025, 4, 21): "2. pääsiäispäivä",
        date(2025, 5, 1): "vappu",
        date(2025, 5, 29): "helatorstai",
        date(2025, 6, 8): "helluntaipäivä",
        date(2025, 6, 20): "juhannusaatto",
        date(2025, 6, 21): "juhannuspäivä",
        date(2025, 11, 1): "pyhäinpäivä",
        date(2025, 12, 6): "itsenäisyyspäivä",
        date(2025, 12, 24): "jouluaatto",
        date(2025, 12, 25): "joulupäivä",
        date(2025, 12, 26): "tapaninpäivä",
    },
    2026: {
        date(2026, 1, 1): "uudenvuodenpäivä",
        date(2026, 1, 6): "loppiainen",
        date(2026, 4, 3): "pitkäperjantai",
        date(2026, 4, 5): "pääsiäispäivä",
        date(2026, 4, 6): "2. pääsiäispäivä",
        date(2026, 5, 1): "vappu",
        date(2026, 5, 14): "helatorstai",
        date(2026, 5, 24): "helluntaipäivä",
        date(2026, 6, 19): "juhannusaatto",
        date(2026, 6, 20): "juhannuspäivä",
        date(2026, 10, 31): "pyhäinpäivä",
        date(2026, 12, 6): "itsenäisyyspäivä",
        date(2026, 12, 24): "jouluaatto",
        date(2026, 12, 25): "joulupäivä",
        date(2026, 12, 26): "tapaninpäivä",
    },
}


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2015, date(2015, 4, 5)),
        (2019, date(2019, 4, 21)),
        (2020, date(2020, 4, 12)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_sunday_follows_the_gregorian_computus(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_public_holidays_of_2024_to_2026_are_exactly_the_finnish_ones(year: int) -> None:
    assert dict(public_holidays(year)) == HOLIDAYS[year]


def test_the_almanac_office_check_dates_of_2020_are_holidays() -> None:
    holidays = public_holidays(2020)
    assert holidays[date(2020, 4, 12)] == "pääsiäispäivä"
    assert holidays[date(2020, 5, 21)] == "helatorstai"
    assert holidays[date(2020, 5, 31)] == "helluntaipäivä"
    assert holidays[date(2020, 6, 19)] == "juhannusaatto"
    assert holidays[date(2020, 10, 31)] == "pyhäinpäivä"


@pytest.mark.parametrize("year", range(2015, 2031))
def test_midsummer_and_all_saints_fall_on_their_statutory_weekdays(year: int) -> None:
    by_name = {name: day for day, name in public_holidays(year).items()}
    eve, midsummer, all_saints = (
        by_name["juhannusaatto"],
        by_name["juhannuspäivä"],
        by_name["pyhäinpäivä"],
    )
    assert eve.weekday() == 4
    assert date(year, 6, 19) <= eve <= date(year, 6, 25)
    assert midsummer == date.fromordinal(eve.toordinal() + 1)
    assert all_saints.weekday() == 5
    assert date(year, 10, 31) <= all_saints <= date(year, 11, 6)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 4, 17), True),
        (date(2025, 4, 18), False),
        (date(2025, 4, 19), False),
        (date(2025, 4, 21), False),
        (date(2025, 4, 22), True),
        (date(2025, 12, 24), False),
        (date(2024, 6, 21), False),
        (date(2025, 12, 8), True),
    ],
)
def test_working_days_exclude_weekends_holidays_and_holiday_eves(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_next_working_day_skips_christmas_and_a_weekend() -> None:
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)


def test_next_working_day_of_a_working_day_is_the_day_itself() -> None:
    assert next_working_day(date(2025, 3, 12)) == date(2025, 3, 12)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 12, 31), 2, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 5, 15), 0, date(2024, 5, 15)),
        (date(2024, 10, 31), 3, date(2025, 1, 31)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_day_of_the_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2000, 6, 15), date(2025, 6, 14), 24),
        (date(2000, 6, 15), date(2025, 6, 15), 25),
        (date(2000, 2, 29), date(2025, 2, 28), 24),
        (date(2000, 2, 29), date(2025, 3, 1), 25),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
    ],
)
def test_age_is_counted_in_completed_years(birth: date, day: date, age: int) -> None:
    assert age_on(birth, day) == age


def test_a_deadline_does_not_count_the_day_of_the_event() -> None:
    deadline = deadline_after(date(2025, 3, 3), 7, DeadlineUnit.DAYS)
    assert deadline.due == date(2025, 3, 10)
    assert not deadline.shifted


def test_a_deadline_on_a_saturday_moves_to_monday() -> None:
    deadline = deadline_after(date(2025, 3, 1), 1, DeadlineUnit.WEEKS)
    assert (deadline.unshifted, deadline.due) == (date(2025, 3, 8), date(2025, 3, 10))
    assert deadline.shifted


def test_a_year_deadline_uses_the_end_of_month_rule() -> None:
    assert deadline_after(date(2028, 2, 29), 1, DeadlineUnit.YEARS).unshifted == date(2029, 2, 28)
