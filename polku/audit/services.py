"""Writes to the audit trail. Call these inside the transaction of the act they record."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from polku.accounts.models import Organisation, User
from polku.audit.events import REGISTRY, Event
from polku.audit.models import AccessLogEntry, ChangeLogEntry, DisclosureLogEntry

Changes = dict[str, list[Any]]


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
    """Write one change-history row for ``target``."""
    if REGISTRY.get(event.code) is not event:
        raise ValueError(f"unregistered audit event {event.code}")
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
