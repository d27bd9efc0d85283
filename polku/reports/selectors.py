"""The worklist (SPEC C9): everything due for one worker or a team, from every app's sections.

Sections are plain queries run when the page is opened (never queued reminders), so
nothing can be missed because a job did not run. Each section runs at most two
queries whatever the size of the organisation.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from polku.access import policy
from polku.accounts.models import User
from polku.accounts.roles import Actor, Capability
from polku.clients import selectors as client_selectors
from polku.core.worklist import WorklistScope, WorklistSection

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
