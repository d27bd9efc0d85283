"""Reads of the audit trail: what a client is entitled to know about the use of their data."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate

from polku.audit.models import AccessLogEntry
from polku.clients.models import Client


@dataclass(frozen=True)
class AccessReportLine:
    """The reads of one user on one day, of one kind (record opened / shown in a list)."""

    day: date
    user_name: str
    organisation_name: str
    kind_label: str
    times: int
    first_at: datetime
    last_at: datetime
    break_glass: bool
    reason: str


def access_report(*, client: Client) -> list[AccessReportLine]:
    """Who has viewed the client's data, when and why (GDPR art. 15; 703/2023 käyttöloki).

    One aggregate query: a row per day, user, kind and reason rather than per read, so a
    year of daily list views stays readable.
    """
    kinds = dict(AccessLogEntry.Kind.choices)
    rows = (
        AccessLogEntry.objects.filter(client=client)
        .annotate(day=TruncDate("at"))
        .values(
            "day",
            "user__first_name",
            "user__last_name",
            "user__username",
            "organisation__name",
            "kind",
            "break_glass",
            "reason",
        )
        .annotate(times=Count("id"), first_at=Min("at"), last_at=Max("at"))
        .order_by("-day", "-last_at")
    )
    return [
        AccessReportLine(
            day=row["day"],
            user_name=f"{row['user__first_name']} {row['user__last_name']}".strip()
            or row["user__username"],
            organisation_name=row["organisation__name"],
            kind_label=str(kinds[row["kind"]]),
            times=row["times"],
            first_at=row["first_at"],
            last_at=row["last_at"],
            break_glass=row["break_glass"],
            reason=row["reason"],
        )
        for row in rows
    ]
