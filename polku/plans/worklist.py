"""Worklist sections of plans: reviews due and TYP assessment periods ending (SPEC C9)."""

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from polku.core.worklist import WorklistItem, WorklistScope, WorklistSection, day, section_total
from polku.plans.models import Plan, PlanStatus, PlanType

WARNING_DAYS = 30  # how far ahead a caseworker wants to see what is coming

ROW_FIELDS = (
    "pk",
    "client_id",
    "client__first_names",
    "client__last_name",
    "client__responsible_worker_id",
    "plan_type",
)


def _plans(scope: WorklistScope) -> QuerySet[Plan]:
    return Plan.objects.filter(
        organisation_id=scope.organisation_id,
        client__responsible_worker_id__in=scope.worker_ids,
        status=PlanStatus.ACTIVE,
    )


def _item(row: dict[str, Any], due_field: str, reason: str, overdue: bool) -> WorklistItem:
    return WorklistItem(
        client_id=row["client_id"],
        client_name=f"{row['client__last_name']}, {row['client__first_names']}",
        worker_id=row["client__responsible_worker_id"],
        due_on=row[due_field],
        reason=reason,
        url=reverse("plans:detail", kwargs={"client_id": row["client_id"], "plan_id": row["pk"]}),
        overdue=overdue,
    )


def reviews_due(scope: WorklistScope) -> WorklistSection:
    """Active plans whose review is overdue or falls within the next 30 days."""
    plans = _plans(scope).filter(next_review_on__lte=scope.today + timedelta(days=WARNING_DAYS))
    rows = plans.order_by("next_review_on", "pk").values(*ROW_FIELDS, "next_review_on")[
        : scope.limit
    ]
    labels = dict(PlanType.choices)
    items = []
    for row in rows:
        overdue = row["next_review_on"] < scope.today
        text = (
            _("Suunnitelman tarkistus erääntyi %(day)s (%(plan)s).")
            if overdue
            else _("Suunnitelman tarkistus erääntyy %(day)s (%(plan)s).")
        )
        reason = text % {"day": day(row["next_review_on"]), "plan": labels[row["plan_type"]]}
        items.append(_item(row, "next_review_on", reason, overdue))
    found = tuple(items)
    return WorklistSection(
        key="plan_reviews_due",
        title=_("Suunnitelmien tarkistukset"),
        items=found,
        total=section_total(found, scope.limit, plans.count),
    )


def assessment_periods_ending(scope: WorklistScope) -> WorklistSection:
    """TYP assessment periods (kartoitusjakso) that ended or end within 30 days."""
    plans = _plans(scope).filter(
        plan_type=PlanType.ASSESSMENT_PERIOD,
        assessment_period_ends_on__lte=scope.today + timedelta(days=WARNING_DAYS),
    )
    rows = plans.order_by("assessment_period_ends_on", "pk").values(
        *ROW_FIELDS, "assessment_period_ends_on"
    )[: scope.limit]
    items = []
    for row in rows:
        overdue = row["assessment_period_ends_on"] < scope.today
        text = (
            _("TYP-kartoitusjakso päättyi %(day)s: laadi monialainen suunnitelma.")
            if overdue
            else _("TYP-kartoitusjakso päättyy %(day)s.")
        )
        reason = text % {"day": day(row["assessment_period_ends_on"])}
        items.append(_item(row, "assessment_period_ends_on", reason, overdue))
    found = tuple(items)
    return WorklistSection(
        key="assessment_periods_ending",
        title=_("Päättyvät TYP-kartoitusjaksot"),
        items=found,
        total=section_total(found, scope.limit, plans.count),
    )
