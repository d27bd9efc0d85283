"""Benchmark figure of the monthly monitoring report at the current database size (SPEC C8)."""

import statistics
import time
from typing import Any

from django.db.models import Count
from django.utils import timezone

from polku.accounts.models import Organisation
from polku.accounts.roles import Actor, Role
from polku.clients.models import Client
from polku.reports.periods import add_months
from polku.reports.report_selectors import monthly_report

RUNS = 3


def _largest_organisation() -> tuple[Organisation, int] | None:
    row = (
        Client.objects.values("organisation_id")
        .annotate(clients=Count("id"))
        .order_by("-clients")
        .first()
    )
    if row is None:
        return None
    return Organisation.objects.get(pk=row["organisation_id"]), row["clients"]


def figures(clients: int) -> dict[str, Any]:
    largest = _largest_organisation()
    if largest is None:
        return {"monthly_report": None}
    organisation, count = largest
    membership = organisation.memberships.select_related("user").first()
    if membership is None:
        return {"monthly_report": None}
    actor = Actor(user=membership.user, organisation=organisation, roles=frozenset({Role.MANAGER}))
    month = add_months(timezone.localdate().replace(day=1), -1)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        monthly_report(actor=actor, month=month)  # open months: every indicator computed live
        timings.append(time.perf_counter() - started)
    return {
        "monthly_report": {
            "size": count,
            "unit": "ms",
            "value": round(statistics.median(timings) * 1000, 1),
            "note": f"median of {RUNS}; month {month:%Y-%m} and its two comparison months, "
            f"{Client.objects.count()} clients in the database",
        }
    }
