"""Share-list test data: files as Kela might send them, and stored rows."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import factory

from polku.sharelist import services
from polku.sharelist.models import FIELDS, ShareListImport, ShareListImportPart, ShareListRow
from polku.sharelist.selectors import mapping_get

HEADER = ";".join(FIELDS)
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def line(
    hetu: str = "010190-999W",
    *,
    last: str = "Testinen",
    first: str = "Aino",
    benefit: str = "TMT",
    paid_on: str = "15.10.2026",
    start: str = "1.9.2026",
    end: str = "30.9.2026",
    days: str = "21",
    paid: str = "784,35",
    percent: str = "50",
    share: str = "392,18",
    accumulated: str = "450",
) -> list[str]:
    return [
        hetu,
        last,
        first,
        benefit,
        paid_on,
        start,
        end,
        days,
        paid,
        percent,
        share,
        accumulated,
    ]


def csv_bytes(
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[str] = FIELDS,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    def cell(value: str) -> str:
        return f'"{value}"' if delimiter in value else value

    lines = [delimiter.join(header), *(delimiter.join(cell(v) for v in row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


class ShareListRowFactory(factory.django.DjangoModelFactory[ShareListRow]):
    class Meta:
        model = ShareListRow

    organisation = factory.LazyAttribute(lambda row: row.client.organisation)
    benefit = "TMT"
    month = date(2026, 10, 1)
    payment_date = factory.LazyAttribute(lambda row: row.month.replace(day=15))
    period_start = date(2026, 9, 1)
    period_end = date(2026, 9, 30)
    days = 21
    paid = Decimal("784.35")
    share_percent = Decimal(50)
    share = Decimal("392.18")
    accumulated_days = 450


def pending_import(organisation: Any, user: Any, content: bytes) -> ShareListImport:
    """A list uploaded and checked in the background (for real), waiting for confirmation."""
    job = ShareListImport.objects.create(
        organisation=organisation,
        mapping=mapping_get(organisation=organisation, name="polku"),
        filename="lista.csv",
        sha256="test",
        status=ShareListImport.Status.CHECKING,
        created_by=user,
        created_at=NOW,
    )
    ShareListImportPart.objects.create(
        job=job, kind=ShareListImportPart.Kind.UPLOAD, index=0, data=content
    )
    services.import_check(job_id=job.pk, now=NOW)
    job.refresh_from_db()
    return job
