"""Worklist section: obligated-employment cases whose job must start soon (SPEC C6, C9)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from polku.core.worklist import (
    WorklistItem,
    WorklistScope,
    WorklistSection,
    day,
    listed_name,
    section_total,
)
from polku.employment.models import ObligatedEmployment

DEADLINE_WARNING_DAYS = 60  # the job must be found and the subsidy applied well before


def obligated_employment_deadlines(scope: WorklistScope) -> WorklistSection:
    """Open obligated-employment cases whose start deadline is within 60 days or passed.

    Clients whose responsible worker is in ``scope.worker_ids``; at most two queries.
    """
    cases = ObligatedEmployment.objects.filter(
        client__organisation_id=scope.organisation_id,
        client__responsible_worker_id__in=scope.worker_ids,
        job_must_start_by__lte=scope.today + timedelta(days=DEADLINE_WARNING_DAYS),
    ).exclude(status__in=ObligatedEmployment.CLOSED)
    rows = cases.order_by("job_must_start_by", "pk").values(
        "pk",
        "client_id",
        "client__first_names",
        "client__last_name",
        "client__responsible_worker_id",
        "job_must_start_by",
        "status",
    )[: scope.limit]
    statuses = dict(ObligatedEmployment.Status.choices)
    items = tuple(
        WorklistItem(
            client_id=row["client_id"],
            client_name=listed_name(row["client__first_names"], row["client__last_name"]),
            worker_id=row["client__responsible_worker_id"],
            due_on=row["job_must_start_by"],
            reason=_("Velvoitetyön on alettava viimeistään %(due)s (vaihe: %(status)s).")
            % {"due": day(row["job_must_start_by"]), "status": statuses[row["status"]]},
            url=reverse(
                "employment:obligation_detail",
                kwargs={"client_id": row["client_id"], "case_id": row["pk"]},
            ),
            overdue=bool(row["job_must_start_by"] and row["job_must_start_by"] < scope.today),
        )
        for row in rows
    )
    return WorklistSection(
        key="obligated_employment_deadlines",
        title=_("Työllistämisvelvoitteen määräajat"),
        items=items,
        total=section_total(items, scope.limit, cases.count),
    )
