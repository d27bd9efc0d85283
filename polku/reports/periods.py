"""Calendar months of the monitoring report."""

import calendar
from datetime import date


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str | None, default: date) -> date:
    """``YYYY-MM`` to the month's first day; anything else gives ``default``'s month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return default.replace(day=1)
