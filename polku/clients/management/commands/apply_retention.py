"""``python manage.py apply_retention [--dry-run] [--today YYYY-MM-DD] [--json]``.

Anonymises closed client records and deletes logs, sign-in records, expired sessions and
abandoned share-list previews that are past their retention period
(``polku.clients.retention``). Idempotent: a second run finds nothing to do. Run it from
a daily timer (deploy/systemd/polku-retention.timer).
"""

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.clients.retention import RetentionResult, retention_apply
from polku.rules.engine.parameters import ParameterNotInForce, Status

STATUS_MARKS = {
    Status.VERIFIED: "✅ verified",
    Status.PARTLY_VERIFIED: "🟡 partly verified",
    Status.UNVERIFIED: "❌ unverified",
}


class Command(BaseCommand):
    help = "Anonymise or delete what is past its retention period (703/2023)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: object, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError(_("Anna päivä muodossa VVVV-KK-PP.")) from None
        try:
            result = retention_apply(
                today=today or timezone.localdate(), now=timezone.now(), dry_run=options["dry_run"]
            )
        except ParameterNotInForce as missing:
            raise CommandError(str(missing)) from None
        self.stdout.write(_as_json(result) if options["json"] else _as_text(result))


def _as_json(result: RetentionResult) -> str:
    body = {
        "today": result.today.isoformat(),
        "dry_run": result.dry_run,
        "periods": {
            period.record_type.value: {
                period.unit: period.length,
                "law": period.law,
                "source": period.source,
                "status": period.status.value,
                "overridden": period.overridden,
                "keep_from": period.keep_from.isoformat(),
            }
            for period in result.periods
        },
        "counts": asdict(result.counts),
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def _as_text(result: RetentionResult) -> str:
    counts = result.counts
    done = {
        "working_age_services": (
            f"{counts.clients_anonymised} clients anonymised, "
            f"{counts.change_log_deleted} change-history rows deleted, "
            f"{counts.restricted_kept} restricted clients kept"
        ),
        "access_log": f"{counts.access_log_deleted} rows deleted",
        "disclosure_log": f"{counts.disclosure_log_deleted} rows deleted",
        "sign_in_log": f"{counts.sign_in_log_deleted} rows deleted",
        "lockout_attempt": f"{counts.lockout_attempts_deleted} counters deleted",
        "session": f"{counts.sessions_deleted} expired sessions deleted",
        "import_preview": f"{counts.import_previews_deleted} unconfirmed files deleted",
        "export_file": f"{counts.export_files_deleted} background documents deleted",
    }
    heading = f"Retention on {result.today.isoformat()}"
    lines = [heading + (" (dry run: nothing was changed)" if result.dry_run else "")]
    for period in result.periods:
        basis = "setting" if period.overridden else f"{period.law}, {STATUS_MARKS[period.status]}"
        lines.append(
            f"  {period.record_type.value}: {period.length} {period.unit} ({basis}), "
            f"older than {period.keep_from.isoformat()}: {done[period.record_type.value]}"
        )
        if not period.overridden:
            lines.append(f"      source: {' '.join(period.source.split())}")
    return "\n".join(lines)
