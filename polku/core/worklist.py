"""The worklist's shape (SPEC C9): sections of items, each saying why it is there.

Each app that has something due contributes section functions
``(scope: WorklistScope) -> WorklistSection`` (listed in ``polku.reports.worklist``).
A section runs at most two queries (items up to ``scope.limit`` and the total)
whatever the number of clients, so the page stays fast at 500,000 clients.
"""

from dataclasses import dataclass
from datetime import date


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
