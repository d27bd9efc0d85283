"""On PostgreSQL the logs refuse UPDATE and DELETE in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from polku.accounts.models import Organisation, User
from polku.audit import services as audit
from polku.audit.events import CLIENT_UPDATED
from polku.audit.models import AccessLogEntry, ChangeLogEntry
from polku.clients.models import Client

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"
)


def test_access_log_rows_cannot_be_changed_or_deleted(
    coach: User, organisation: Organisation, coach_client: Client, now: object
) -> None:
    audit.access_record_many(
        at=now,  # type: ignore[arg-type]
        user=coach,
        organisation=organisation,
        client_ids=[coach_client.pk],
        kind=AccessLogEntry.Kind.RECORD,
        channel="ui",
        view="test",
    )
    rows = AccessLogEntry.objects.filter(client=coach_client)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(view="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows._raw_delete(rows.db)  # bypasses Django's PROTECT, as raw SQL would


def test_change_history_cannot_be_rewritten_but_the_retention_purge_may_delete(
    coach: User, organisation: Organisation, coach_client: Client, now: object
) -> None:
    entry = audit.record(
        event=CLIENT_UPDATED,
        at=now,  # type: ignore[arg-type]
        actor=coach,
        organisation=organisation,
        target=coach_client,
        client_id=coach_client.pk,
    )
    rows = ChangeLogEntry.objects.filter(pk=entry.pk)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(event="something.else")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL polku.retention_purge = 'on'")
        rows._raw_delete(rows.db)
    assert not rows.exists()
