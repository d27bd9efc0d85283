"""Backup and restore on the test run's own database (SQLite, or PostgreSQL with DATABASE_URL)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory

# Restoring replaces the database under Django's feet: no test transaction may hold it.
pytestmark = pytest.mark.django_db(transaction=True)


def _backup(path: Path) -> None:
    call_command("backup", str(path), stdout=StringIO())


def test_restore_gives_back_the_data_as_it_was_at_the_backup(
    tmp_path: Path, coach_client: Client
) -> None:
    path = tmp_path / "polku.backup"
    _backup(path)
    Client.objects.filter(pk=coach_client.pk).update(last_name="Muutettu")
    added = ClientFactory.create(organisation=coach_client.organisation)

    call_command("restore", str(path), "--force", stdout=StringIO())

    assert Client.objects.get(pk=coach_client.pk).last_name == coach_client.last_name
    assert not Client.objects.filter(pk=added.pk).exists()
    assert not list(tmp_path.glob("*.partial"))


def test_restore_refuses_a_database_with_data_unless_forced(
    tmp_path: Path, coach_client: Client
) -> None:
    path = tmp_path / "polku.backup"
    _backup(path)
    Client.objects.filter(pk=coach_client.pk).update(last_name="Muutettu")

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(path), stdout=StringIO())

    assert Client.objects.get(pk=coach_client.pk).last_name == "Muutettu"


def test_restore_of_a_missing_file_says_so(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--force", stdout=StringIO())
