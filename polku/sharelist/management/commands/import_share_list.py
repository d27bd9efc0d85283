"""``python manage.py import_share_list FILE`` (CONTRACTS.md §3)."""

import io
import json
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import Organisation
from polku.sharelist import services
from polku.sharelist.selectors import UnknownMapping


class Command(BaseCommand):
    help = "Import Kela's municipal-share list (CSV or XLSX) for an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--mapping", default=services.DEFAULT_MAPPING, help="column profile")
        parser.add_argument(
            "--accept-valid", action="store_true", help="import the valid rows even if others fail"
        )
        parser.add_argument("--dry-run", action="store_true", help="validate and count only")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: object, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(_("Organisaatiota ei löydy."))
        path = Path(options["file"])
        try:
            source: IO[bytes] = path.open("rb")  # read as a stream, never whole
        except OSError:
            source = io.BytesIO()  # reported as an empty, unreadable file
        try:
            with source:
                summary = services.share_list_import(
                    organisation=organisation,
                    mapping_name=options["mapping"],
                    source=source,
                    filename=path.name,
                    accept_valid=options["accept_valid"],
                    dry_run=options["dry_run"],
                    now=timezone.now(),
                )
        except UnknownMapping as unknown:
            raise CommandError(str(unknown)) from unknown
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self._print(summary, dry_run=options["dry_run"])
        if summary["rejected"]:
            raise SystemExit(1)

    def _print(self, summary: dict[str, Any], *, dry_run: bool) -> None:
        self.stdout.write(
            f"rows {summary['rows']}, imported {summary['imported']}, "
            f"unchanged {summary['unchanged']}, new clients {summary['new_clients']}"
            f"{' (dry run, nothing written)' if dry_run else ''}"
        )
        for error in summary["errors"]:
            column = f" [{error['column']}]" if error["column"] else ""
            self.stdout.write(f"row {error['row']}{column} {error['code']}: {error['message']}")
        hidden = summary["error_count"] - len(summary["errors"])
        if hidden:
            counts = ", ".join(f"{code} {count}" for code, count in summary["error_counts"].items())
            self.stdout.write(f"... and {hidden} more errors ({counts})")
        if summary["rejected"]:
            self.stderr.write("rejected: nothing was imported")
