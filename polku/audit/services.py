"""Writes to the audit trail. Call these inside the transaction of the act they record."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from polku.accounts.models import Organisation, User
from polku.audit.events import REGISTRY, Event
from polku.audit.models import AccessLogEntry, ChangeLogEntry, DisclosureLogEntry
from polku.clients.models import Client

Changes = dict[str, list[Any]]


class ProcessingRestricted(PermissionDenied):
    """The client's processing is restricted (GDPR art. 18): the data may be read, not changed."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Asiakkaan tietojen käsittelyä on rajoitettu (EU:n tietosuoja-asetus 18 artikla). "
                "Tietoja voi katsoa, mutta niitä ei voi muuttaa ennen kuin rajoitus poistetaan."
            )
        )


def _jsonable(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def changes_between(before: Mapping[str, object], after: Mapping[str, object]) -> Changes:
    """Field-by-field ``{field: [old, new]}`` of the values that differ."""
    return {
        field: [_jsonable(before.get(field)), _jsonable(new)]
        for field, new in after.items()
        if before.get(field) != new
    }


def record(
    *,
    event: Event,
    at: datetime,
    actor: User | None,
    organisation: Organisation,
    target: models.Model,
    client_id: int | None = None,
    changes: Changes | None = None,
) -> ChangeLogEntry:
    """Write one change-history row for ``target``.

    Every change to a client's data passes through here (one row per change), so this
    is where a restriction of processing is enforced: the caller's transaction is
    rolled back by the exception.

    Raises:
        ProcessingRestricted: the client's processing is restricted and ``event`` is a change.
    """
    _refuse_unless_allowed(event, [client_id] if client_id is not None else [])
    return ChangeLogEntry.objects.create(
        at=at,
        actor=actor,
        organisation=organisation,
        event=event.code,
        object_type=target._meta.label,
        object_id=str(target.pk),
        client_id=client_id,
        changes=changes or {},
    )


def record_many(
    *,
    event: Event,
    at: datetime,
    actor: User | None,
    organisation: Organisation,
    target: models.Model,
    changes_by_client: Mapping[int, Changes],
) -> None:
    """``record`` for many clients at once (a group's week of attendance): two queries.

    Raises:
        ProcessingRestricted: any of the clients' processing is restricted.
    """
    _refuse_unless_allowed(event, list(changes_by_client))
    ChangeLogEntry.objects.bulk_create(
        ChangeLogEntry(
            at=at,
            actor=actor,
            organisation=organisation,
            event=event.code,
            object_type=target._meta.label,
            object_id=str(target.pk),
            client_id=client_id,
            changes=changes,
        )
        for client_id, changes in changes_by_client.items()
    )


def _refuse_unless_allowed(event: Event, client_ids: list[int]) -> None:
    if REGISTRY.get(event.code) is not event:
        raise ValueError(f"unregistered audit event {event.code}")
    if not client_ids or event.allowed_while_restricted:
        return
    restricted = Client.objects.filter(pk__in=client_ids, processing_restricted_on__isnull=False)
    if restricted.exists():
        raise ProcessingRestricted


def access_record_many(
    *,
    at: datetime,
    user: User,
    organisation: Organisation,
    client_ids: Iterable[int],
    kind: str,
    channel: str,
    view: str,
    reason: str = "",
    break_glass: bool = False,
) -> None:
    """Write one access-log row per client read, in one insert."""
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            at=at,
            user=user,
            organisation=organisation,
            client_id=client_id,
            kind=kind,
            channel=channel,
            view=view,
            reason=reason,
            break_glass=break_glass,
        )
        for client_id in client_ids
    )


def disclosure_record(
    *,
    at: datetime,
    actor: User,
    organisation: Organisation,
    client_id: int,
    recipient_organisation: Organisation | None,
    recipient_description: str,
    disclosed: str,
    legal_basis: str,
    consent_id: int | None = None,
) -> DisclosureLogEntry:
    """Write one disclosure-log row (luovutusloki) for data given outside the organisation."""
    return DisclosureLogEntry.objects.create(
        at=at,
        actor=actor,
        organisation=organisation,
        client_id=client_id,
        recipient_organisation=recipient_organisation,
        recipient_description=recipient_description,
        disclosed=disclosed,
        legal_basis=legal_basis,
        consent_id=consent_id,
    )
