"""``python manage.py close_month --organisation SLUG --month YYYY-MM``: snapshot a month.

Idempotent: closing a closed month again stores nothing new unless a number has
changed since, and then records the difference as a correction.
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import Organisation
from polku.reports import services


class Command(BaseCommand):
    help = "Close a month of the monitoring report: store every indicator's value."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args: object, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(_("Organisaatiota ei löydy."))
        try:
            year, month = (int(part) for part in options["month"].split("-"))
            first = date(year, month, 1)
        except ValueError:
            raise CommandError(_("Anna kuukausi muodossa VVVV-KK.")) from None
        snapshot = services.month_close(
            organisation=organisation, month=first, user=None, now=timezone.now()
        )
        corrections = snapshot.corrections.count()
        self.stdout.write(f"{organisation.slug} {first:%Y-%m}: closed, {corrections} corrections")
