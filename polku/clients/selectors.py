"""Reads of the client register; all of them go through ``polku.access.policy``."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from polku.access import policy
from polku.accounts.models import Membership, User
from polku.accounts.roles import ROLE_CAPABILITIES, Actor, Capability
from polku.audit.events import REGISTRY
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client, Consent, ResponsibleWorkerPeriod
from polku.core import hetu as hetu_codes

PAGE_SIZE = 50


@dataclass(frozen=True)
class SearchResult:
    clients: list[Client]
    # Ids of clients found by an exact identity-code search without a care relationship:
    # the worker sees that the person is a client and may open the record with a reason.
    without_relationship: frozenset[int]
    has_next_page: bool


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    event: str
    label: str
    actor_name: str


def client_get(*, actor: Actor, client_id: int, now: datetime, view: str) -> Client:
    return policy.client_open(actor=actor, client_id=client_id, now=now, view=view)


def _name_filter(query: str) -> Q:
    condition = Q()
    for term in query.split():
        condition &= Q(last_name__icontains=term) | Q(first_names__icontains=term)
    return condition


def client_search(
    *,
    actor: Actor,
    query: str,
    worker_id: int | None,
    page: int,
    now: datetime,
    view: str,
) -> SearchResult:
    """Search by name or worker among the actor's clients, or by exact identity code.

    An identity-code search covers the whole organisation (exact match only, never a
    prefix), so a worker can find a new client who has no responsible worker yet.
    """
    query = query.strip()
    if hetu_codes.is_valid(query):
        found = clients_found_by_hetu(actor=actor, hetu=query, now=now)
        clients = list(found.select_related("responsible_worker"))
        visible = set(
            policy.clients_visible_to(actor, now)
            .filter(pk__in=[client.pk for client in clients])
            .values_list("pk", flat=True)
        )
        without = frozenset(client.pk for client in clients if client.pk not in visible)
        has_next = False
    else:
        candidates = policy.clients_visible_to(actor, now).filter(_name_filter(query))
        if worker_id is not None:
            candidates = candidates.filter(responsible_worker_id=worker_id)
        offset = (max(page, 1) - 1) * PAGE_SIZE
        window = list(
            candidates.select_related("responsible_worker").order_by(
                "last_name", "first_names", "pk"
            )[offset : offset + PAGE_SIZE + 1]
        )
        clients, has_next = window[:PAGE_SIZE], len(window) > PAGE_SIZE
        without = frozenset()
    policy.clients_shown(actor=actor, clients=clients, now=now, view=view)
    return SearchResult(clients=clients, without_relationship=without, has_next_page=has_next)


def clients_found_by_hetu(*, actor: Actor, hetu: str, now: datetime) -> QuerySet[Client]:
    return policy.clients_in_organisation(actor).filter(hetu=hetu_codes.normalise(hetu))


def client_consents(*, client: Client) -> list[Consent]:
    return list(client.consents.select_related("recorded_by"))


def client_valid_consents(*, client: Client, on: date) -> list[Consent]:
    return [consent for consent in client_consents(client=client) if consent.is_valid_on(on)]


def client_worker_history(*, client: Client) -> list[ResponsibleWorkerPeriod]:
    return list(client.worker_periods.select_related("worker", "assigned_by"))


def client_timeline(*, client: Client, limit: int = 100) -> list[TimelineEntry]:
    """Everything recorded about the client, newest first, from the change history."""
    rows = (
        ChangeLogEntry.objects.filter(client=client)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    return [
        TimelineEntry(
            at=row.at,
            event=row.event,
            label=str(REGISTRY[row.event].label) if row.event in REGISTRY else row.event,
            actor_name=str(row.actor) if row.actor else "",
        )
        for row in rows
    ]


def responsible_worker_candidates(*, actor: Actor) -> QuerySet[User]:
    """Users of the actor's organisation who may be a client's responsible worker."""
    roles = [
        role
        for role, capabilities in ROLE_CAPABILITIES.items()
        if Capability.BE_RESPONSIBLE_WORKER in capabilities
    ]
    user_ids = Membership.objects.filter(organisation=actor.organisation, role__in=roles).values(
        "user_id"
    )
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("last_name", "first_name")


def contact_needs_check(*, client: Client, today: date, max_age_days: int) -> bool:
    """The plan says to check contact details at every meeting; flag stale ones."""
    verified = client.contact_verified_on
    return verified is None or (today - verified).days > max_age_days
