"""Benchmark figure of the monthly monitoring report at the current database size (SPEC C8)."""

import statistics
from typing import Any

from django.utils import timezone

from polku.accounts.roles import Actor, Role
from polku.clients.benchmarks import largest_organisation
from polku.clients.models import Client
from polku.core.benchmarking import timings
from polku.reports.periods import add_months
from polku.reports.report_selectors import monthly_report

RUNS = 3


def figures(clients: int) -> dict[str, Any]:
    largest = largest_organisation()
    if largest is None:
        return {"monthly_report": None}
    organisation, count = largest
    membership = organisation.memberships.select_related("user").first()
    if membership is None:
        return {"monthly_report": None}
    actor = Actor(user=membership.user, organisation=organisation, roles=frozenset({Role.MANAGER}))
    month = add_months(timezone.localdate().replace(day=1), -1)
    # Open months: every indicator is computed live, nothing read from a snapshot.
    seconds = timings(lambda: monthly_report(actor=actor, month=month), RUNS)
    return {
        "monthly_report": {
            "size": count,
            "unit": "ms",
            "value": round(statistics.median(seconds) * 1000, 1),
            "note": f"median of {RUNS}; month {month:%Y-%m} and its two comparison months, "
            f"{Client.objects.count()} clients in the database",
        }
    }
