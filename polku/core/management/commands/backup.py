"""``manage.py backup PATH``: a consistent copy of the whole database, safe while Polku runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database to PATH: pg_dump's custom format on PostgreSQL, "
        "a database file on SQLite. Restore with `manage.py restore PATH`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="backup file to write")

    def handle(self, *args: object, **options: Path) -> None:
        try:
            backup.backup(options["path"])
        except backup.BackupError as failure:
            raise CommandError(str(failure)) from failure
        self.stdout.write(f"Backup written to {options['path']}")
