"""``python manage.py close_month (--organisation SLUG | --all-organisations) [--month YYYY-MM]``.

Snapshots a month of the monitoring report (default: the month before today's). Idempotent:
closing a closed month again stores nothing new unless a number has changed since, and then
records the difference as a correction. ``--all-organisations`` is what the monthly timer
runs (deploy/systemd/polku-close-month.timer).
"""

from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import Organisation
from polku.reports import services
from polku.reports.periods import add_months


class Command(BaseCommand):
    help = "Close a month of the monitoring report: store every indicator's value."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--organisation", help="organisation slug")
        which.add_argument(
            "--all-organisations", action="store_true", help="every organisation, one by one"
        )
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: object, **options: Any) -> None:
        month = _month(options["month"], options["today"])
        if options["all_organisations"]:
            organisations = list(Organisation.objects.order_by("slug"))
        else:
            organisations = list(Organisation.objects.filter(slug=options["organisation"]))
            if not organisations:
                raise CommandError(_("Organisaatiota ei löydy."))
        now = timezone.now()
        for organisation in organisations:
            self.stdout.write(_closed(organisation, month, now))


def _month(month: str | None, today: str | None) -> date:
    """The first day of ``month``, or of the month before ``today``."""
    if month:
        try:
            year, number = (int(part) for part in month.split("-"))
            return date(year, number, 1)
        except ValueError:
            raise CommandError(_("Anna kuukausi muodossa VVVV-KK.")) from None
    try:
        day = date.fromisoformat(today) if today else timezone.localdate()
    except ValueError:
        raise CommandError(_("Anna päivä muodossa VVVV-KK-PP.")) from None
    return add_months(day.replace(day=1), -1)


def _closed(organisation: Organisation, month: date, now: datetime) -> str:
    snapshot = services.month_close(organisation=organisation, month=month, user=None, now=now)
    corrections = snapshot.corrections.filter(recorded_at=now).count()
    if snapshot.closed_at == now:
        return f"{organisation.slug} {month:%Y-%m}: closed"
    return f"{organisation.slug} {month:%Y-%m}: already closed, {corrections} corrections recorded"
