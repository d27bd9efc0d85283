"""Finnish calendar: public holidays, working days, month arithmetic and deadlines.

Deadlines follow the act on calculating time limits 150/1930 (määräaikalaki, LEGAL.md
§§ 2.7 and 4.2): the day of the event is not counted (§ 2); a period of weeks, months or
years ends on the same-numbered day, or on the month's last day if that day is missing
(§ 3); and a last day that falls on a holiday (pyhäpäivä), itsenäisyyspäivä, vappu,
juhannus- or jouluaatto or a Saturday moves to the next working day (§ 5).
"""

from __future__ import annotations

import calendar as gregorian
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

SATURDAY = 5
DAYS_IN_WEEK = 7
MONTHS_IN_YEAR = 12


class DeadlineUnit(StrEnum):
    """Unit of a statutory period."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


@dataclass(frozen=True, slots=True)
class Deadline:
    """A statutory deadline before (``unshifted``) and after the § 5 shift (``due``)."""

    due: date
    unshifted: date

    @property
    def shifted(self) -> bool:
        """Whether § 5 moved the deadline to a later working day."""
        return self.due != self.unshifted


def easter_sunday(year: int) -> date:
    """Easter Sunday (pääsiäispäivä) by the Gregorian computus (anonymous algorithm)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    lunar_correction = (century + 8) // 25
    solar_correction = (century - lunar_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - solar_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    correction = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * correction + 114, 31)
    return date(year, month, day + 1)


@functools.cache
def public_holidays(year: int) -> Mapping[date, str]:
    """Finnish public holidays and the de facto holiday eves of ``year`` (LEGAL.md § 4.2).

    Includes Easter Sunday and Whit Sunday although they always fall on a Sunday, so the
    calendar can name them.
    """
    easter = easter_sunday(year)
    holidays = {
        date(year, 1, 1): "uudenvuodenpäivä",
        date(year, 1, 6): "loppiainen",
        easter - timedelta(days=2): "pitkäperjantai",
        easter: "pääsiäispäivä",
        easter + timedelta(days=1): "2. pääsiäispäivä",
        date(year, 5, 1): "vappu",
        easter + timedelta(days=39): "helatorstai",
        easter + timedelta(days=49): "helluntaipäivä",
        _weekday_between(year, 6, 19, 4): "juhannusaatto",
        _weekday_between(year, 6, 20, SATURDAY): "juhannuspäivä",
        _weekday_between(year, 10, 31, SATURDAY): "pyhäinpäivä",
        date(year, 12, 6): "itsenäisyyspäivä",
        date(year, 12, 24): "jouluaatto",
        date(year, 12, 25): "joulupäivä",
        date(year, 12, 26): "tapaninpäivä",
    }
    return MappingProxyType(holidays)


def is_working_day(day: date) -> bool:
    """Monday–Friday and not a holiday or holiday eve."""
    return day.weekday() < SATURDAY and day not in public_holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """The same-numbered day ``months`` later, or the month's last day (150/1930 § 3).

    For example 31.1.2024 + 1 month = 29.2.2024 and 31.1.2025 + 1 month = 28.2.2025.
    """
    month_index = day.year * MONTHS_IN_YEAR + day.month - 1 + months
    year, month = divmod(month_index, MONTHS_IN_YEAR)
    last_day = gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def age_on(birth_date: date, day: date) -> int:
    """Age in completed years on ``day`` (birthday rule).

    LEGAL.md gives no rule for people born on 29 February; they reach a new age on
    1 March in common years here (the day after 28 February has passed).
    """
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def deadline_after(event: date, count: int, unit: DeadlineUnit) -> Deadline:
    """The last day of a period of ``count`` units from ``event`` under 150/1930 §§ 2, 3, 5.

    Args:
        event: the day of the event that starts the period; it is not counted (§ 2).
        count: length of the period, zero or more.
        unit: days, weeks, months or years.
    """
    if unit is DeadlineUnit.DAYS:
        unshifted = event + timedelta(days=count)
    elif unit is DeadlineUnit.WEEKS:
        unshifted = event + timedelta(days=DAYS_IN_WEEK * count)
    elif unit is DeadlineUnit.MONTHS:
        unshifted = add_months(event, count)
    else:
        unshifted = add_months(event, MONTHS_IN_YEAR * count)
    return Deadline(due=next_working_day(unshifted), unshifted=unshifted)


def _weekday_between(year: int, month: int, first_day: int, weekday: int) -> date:
    """The given weekday in the seven days starting ``first_day`` of ``month``."""
    start = date(year, month, first_day)
    return start + timedelta(days=(weekday - start.weekday()) % DAYS_IN_WEEK)
