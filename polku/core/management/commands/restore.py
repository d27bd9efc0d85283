"""``manage.py restore PATH``: replace the database's contents with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.core import backup


class Command(BaseCommand):
    help = (
        "Restore the database from a file made by `manage.py backup`. Refuses a database "
        "that has tables unless --force is given; with --force everything in it is replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="backup file to read")
        parser.add_argument(
            "--force", action="store_true", help="replace the data of a non-empty database"
        )

    def handle(self, *args: object, **options: object) -> None:
        path = options["path"]
        assert isinstance(path, Path)  # noqa: S101 - argparse's type=Path guarantees it
        try:
            backup.restore(path, force=bool(options["force"]))
        except backup.BackupError as failure:
            raise CommandError(str(failure)) from failure
        self.stdout.write(f"Database restored from {path}")
