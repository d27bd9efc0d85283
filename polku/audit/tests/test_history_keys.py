"""The change log's keys carry no database constraints (they cost a row lock per history
row at commit), so Django's PROTECT is what keeps history from pointing at nothing."""

import pytest
from django.db.models import ProtectedError

from polku.accounts.models import Organisation, User
from polku.audit import services as audit
from polku.audit.events import CLIENT_UPDATED
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client


@pytest.fixture
def entry(
    coach: User, organisation: Organisation, coach_client: Client, now: object
) -> ChangeLogEntry:
    return audit.record(
        event=CLIENT_UPDATED,
        at=now,  # type: ignore[arg-type]
        actor=coach,
        organisation=organisation,
        target=coach_client,
        client_id=coach_client.pk,
    )


def test_a_client_with_history_cannot_be_deleted(
    entry: ChangeLogEntry, coach_client: Client
) -> None:
    with pytest.raises(ProtectedError) as refused:
        coach_client.delete()
    assert entry in refused.value.protected_objects
    assert ChangeLogEntry.objects.filter(client=coach_client).exists()


def test_the_author_and_organisation_of_history_cannot_be_deleted(
    entry: ChangeLogEntry, coach: User, organisation: Organisation
) -> None:
    for referenced in (coach, organisation):
        with pytest.raises(ProtectedError) as refused:
            referenced.delete()
        assert entry in refused.value.protected_objects


def test_history_is_found_by_client_through_the_client_and_time_index(
    entry: ChangeLogEntry, coach_client: Client
) -> None:
    index_columns = [index.fields for index in ChangeLogEntry._meta.indexes]
    assert ["client", "at"] in index_columns  # the lookups by client rely on it
    assert list(coach_client.change_log.all()) == [entry]
