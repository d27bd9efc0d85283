"""The worklist's shape (SPEC C9): sections of items, each saying why it is there.

Each app that has something due contributes section functions
``(scope: WorklistScope) -> WorklistSection`` (listed in ``polku.reports.worklist``).
A section runs at most two queries (items up to ``scope.limit`` and the total)
whatever the number of clients, so the page stays fast at 500,000 clients.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import formats


@dataclass(frozen=True)
class WorklistScope:
    """Whose items: one worker's (``worker_ids`` with one id) or a team's (several ids)."""

    organisation_id: int
    worker_ids: tuple[int, ...]
    today: date
    limit: int = 50


@dataclass(frozen=True)
class WorklistItem:
    client_id: int
    client_name: str
    worker_id: int | None
    due_on: date | None
    reason: str  # why the item is on the list, in the user's language
    url: str  # where to act
    overdue: bool = False


@dataclass(frozen=True)
class WorklistSection:
    key: str
    title: str
    items: tuple[WorklistItem, ...]
    total: int  # may exceed len(items) when the list was cut at scope.limit


def section_total(items: tuple[WorklistItem, ...], limit: int, count: Callable[[], int]) -> int:
    """The section's full size: counted in a second query only when the list was cut."""
    return len(items) if len(items) < limit else count()


def day(value: date | None) -> str:
    """A date as the reason sentences show it (d.m.yyyy in every language)."""
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "–"


def listed_name(first_names: str, last_name: str) -> str:
    """A client's name as lists show it (surname first), from a values() row."""
    return f"{last_name}, {first_names}"
