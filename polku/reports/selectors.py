"""The worklist (SPEC C9): everything due for one worker or a team, from every app's sections.

Sections are plain queries run when the page is opened (never queued reminders), so
nothing can be missed because a job did not run. Each section runs at most two
queries whatever the size of the organisation.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.access import policy
from polku.accounts.models import User
from polku.accounts.roles import Actor, Capability
from polku.clients import selectors as client_selectors
from polku.core.worklist import WorklistItem, WorklistScope, WorklistSection

SectionBuilder = Callable[[WorklistScope], WorklistSection]

# In page order: the statutory deadlines first, then the things that keep data right.
SECTIONS: tuple[str, ...] = (
    "polku.plans.worklist.reviews_due",
    "polku.plans.worklist.assessment_periods_ending",
    "polku.referrals.worklist.handovers_unacknowledged",
    "polku.service_episodes.worklist.ktt_decisions_pending",
    "polku.service_episodes.worklist.ktt_evaluations_due",
    "polku.rules.worklist.activation_criteria_without_plan",
    "polku.sharelist.worklist.persons_without_worker_or_contact",
    "polku.clients.worklist.consents_expiring",
    "polku.clients.worklist.contacts_not_verified",
    "polku.employment.worklist.obligated_employment_deadlines",
)


@dataclass(frozen=True)
class Worklist:
    sections: list[WorklistSection]
    workers: list[User]  # whose items these are

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)


def _builder(path: str) -> SectionBuilder:
    module, name = path.rsplit(".", 1)
    builder: SectionBuilder = getattr(importlib.import_module(module), name)
    return builder


def team_members(*, actor: Actor) -> QuerySet[User]:
    """The workers whose items the team worklist can show (responsible-worker roles)."""
    return client_selectors.responsible_worker_candidates(actor=actor)


def worklist_get(
    *, actor: Actor, worker_ids: tuple[int, ...], today: date, now: datetime, view: str
) -> Worklist:
    """Every section for the given workers; the clients shown are written to the access log.

    One's own worklist needs ``VIEW_WORKLIST``; anybody else's (the team view) needs
    ``VIEW_TEAM_WORKLIST``.
    """
    own = worker_ids == (actor.user.pk,)
    policy.require(actor, Capability.VIEW_WORKLIST if own else Capability.VIEW_TEAM_WORKLIST)
    workers = list(team_members(actor=actor).filter(pk__in=worker_ids))
    if own:
        workers = [actor.user]
    scope = WorklistScope(
        organisation_id=actor.organisation.pk,
        worker_ids=tuple(worker.pk for worker in workers),
        today=today,
    )
    sections = [_builder(path)(scope) for path in SECTIONS]
    shown = sorted({item.client_id for section in sections for item in section.items})
    policy.client_ids_shown(actor=actor, client_ids=shown, now=now, view=view)
    return Worklist(sections=sections, workers=workers)


# Rows a due group shows before "show the rest": the page stays readable with
# hundreds of items, and the most urgent (listed first) are always in sight.
WORKLIST_PAGE_SIZE = 10


@dataclass(frozen=True)
class DueGroup:
    key: str  # "overdue", "this_week" or "later"
    title: str | Promise
    shown: tuple[WorklistItem, ...]
    more: tuple[WorklistItem, ...]  # behind a "show the rest" disclosure

    @property
    def count(self) -> int:
        return len(self.shown) + len(self.more)


@dataclass(frozen=True)
class SectionByDue:
    section: WorklistSection
    groups: list[DueGroup]
    overdue: int
    this_week: int

    @property
    def urgent(self) -> bool:
        """Opened on arrival: something in it is late or due this week."""
        return bool(self.overdue or self.this_week)


def worklist_by_due(
    worklist: Worklist, *, today: date, page_size: int = WORKLIST_PAGE_SIZE
) -> list[SectionByDue]:
    """Each section's items grouped as overdue / due this week (to Sunday) / later."""
    sunday = today + timedelta(days=6 - today.weekday())
    titles = {
        "overdue": _("Myöhässä"),
        "this_week": _("Tällä viikolla"),
        "later": _("Myöhemmin"),
    }
    result = []
    for section in worklist.sections:
        buckets: dict[str, list[WorklistItem]] = {key: [] for key in titles}
        for item in section.items:
            if item.overdue or (item.due_on is not None and item.due_on < today):
                buckets["overdue"].append(item)
            elif item.due_on is not None and item.due_on <= sunday:
                buckets["this_week"].append(item)
            else:
                buckets["later"].append(item)
        groups = [
            DueGroup(key, titles[key], tuple(items[:page_size]), tuple(items[page_size:]))
            for key, items in buckets.items()
            if items
        ]
        result.append(
            SectionByDue(
                section=section,
                groups=groups,
                overdue=len(buckets["overdue"]),
                this_week=len(buckets["this_week"]),
            )
        )
    return result
