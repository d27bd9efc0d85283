"""Reads of the client register; all of them go through ``polku.access.policy``."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

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


def consent_get(*, client: Client, consent_id: int) -> Consent:
    """One of the client's consents; another client's (or organisation's) id is 404."""
    consent = client.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404(_("Suostumusta ei löydy."))
    return consent


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


# Rows too many to list one by one; the access-log report covers them per day instead.
EXPORT_SUMMARISED = {"audit.AccessLogEntry"}


@dataclass(frozen=True)
class ExportSection:
    """All records of one kind about the client, as field → value pairs."""

    label: str  # the model's label, e.g. "plans.Plan"
    title: str  # its plural name in the user's language
    records: list[dict[str, Any]]


def _field_values(record: models.Model) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in record._meta.concrete_fields:
        value = getattr(record, field.attname)
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        values[str(field.verbose_name) if field.verbose_name else field.name] = value
    return values


def _related_sections(
    record: models.Model, depth: int, seen: set[tuple[str, object]]
) -> list[ExportSection]:
    sections: list[ExportSection] = []
    # Hidden (``related_name="+"``: claim lines, group memberships) and one-to-one
    # relations (a service's KTT contract) too: they are the client's data all the same.
    # ``seen`` keeps a row reached by two paths from appearing twice.
    for relation in record._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) or relation.many_to_many:
            continue
        model = relation.related_model
        assert not isinstance(model, str)  # noqa: S101 - resolved once the apps are loaded
        label = model._meta.label
        if label in EXPORT_SUMMARISED:
            continue
        rows = [
            row
            for row in model._default_manager.filter(**{relation.field.name: record})
            if (label, row.pk) not in seen
        ]
        if not rows:
            continue
        seen.update((label, row.pk) for row in rows)
        sections.append(
            ExportSection(
                label=label,
                title=str(model._meta.verbose_name_plural),
                records=[_field_values(row) for row in rows],
            )
        )
        if depth > 1:
            for row in rows:
                sections.extend(_related_sections(row, depth - 1, seen))
    return sections


def personal_data_export(*, client: Client) -> list[ExportSection]:
    """Everything Polku holds about the client (GDPR art. 15 and 20), already opened and
    access-logged by the caller: the record, every record that refers to it and the
    records under those (a plan's reviews, a contract's notices), found through the
    models' relations so new capabilities are included without changes here."""
    sections = [
        ExportSection(
            label=Client._meta.label,
            title=str(Client._meta.verbose_name),
            records=[_field_values(client)],
        )
    ]
    merged: dict[str, ExportSection] = {}
    for section in _related_sections(client, depth=2, seen=set()):
        if section.label in merged:
            merged[section.label].records.extend(section.records)
        else:
            merged[section.label] = section
    return sections + list(merged.values())
