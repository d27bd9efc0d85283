"""Worklist sections of KTT: decisions waiting for the social counsellor, final evaluations due."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from polku.clients.models import CareAssignment
from polku.core.worklist import (
    WorklistItem,
    WorklistScope,
    WorklistSection,
    day,
    listed_name,
    section_total,
)
from polku.service_episodes.models import KttContract

EVALUATION_WARNING_DAYS = 30  # how early the responsible worker wants to see the evaluation coming


def ktt_evaluations_due(scope: WorklistScope) -> WorklistSection:
    """Signed KTT contracts whose final evaluation is due within 30 days or overdue.

    Clients whose responsible worker is in ``scope.worker_ids``, or who work with one of
    them in a service (the work coach who holds the evaluation); at most two queries.
    """
    in_service_with = CareAssignment.objects.filter(
        worker_id__in=scope.worker_ids,
        basis=CareAssignment.Basis.SERVICE,
        ended_on__isnull=True,
    ).values("client_id")
    due = KttContract.objects.filter(
        episode__client__organisation_id=scope.organisation_id,
        status=KttContract.Status.SIGNED,
        evaluation_held_on__isnull=True,
        final_evaluation_on__lte=scope.today + timedelta(days=EVALUATION_WARNING_DAYS),
    ).order_by()  # a UNION's branches may not carry the model's default ordering
    fields = (
        "pk",
        "episode__client_id",
        "episode__client__first_names",
        "episode__client__last_name",
        "episode__client__responsible_worker_id",
        "final_evaluation_on",
        "end",
    )
    # UNION of the two ways in: an OR across them would scan every contract of the organisation.
    contracts = (
        due.filter(episode__client__responsible_worker_id__in=scope.worker_ids)
        .values(*fields)
        .union(due.filter(episode__client_id__in=in_service_with).values(*fields))
    )
    rows = contracts.order_by("final_evaluation_on", "pk")[: scope.limit]
    items = tuple(
        WorklistItem(
            client_id=row["episode__client_id"],
            client_name=listed_name(
                row["episode__client__first_names"], row["episode__client__last_name"]
            ),
            worker_id=row["episode__client__responsible_worker_id"],
            due_on=row["final_evaluation_on"],
            reason=_("KTT:n loppuarviointi viimeistään %(due)s (sopimus päättyy %(end)s).")
            % {"due": day(row["final_evaluation_on"]), "end": day(row["end"])},
            url=reverse(
                "services:contract_detail",
                kwargs={"client_id": row["episode__client_id"], "contract_id": row["pk"]},
            ),
            overdue=bool(row["final_evaluation_on"] and row["final_evaluation_on"] < scope.today),
        )
        for row in rows
    )
    return WorklistSection(
        key="ktt_evaluations_due",
        title=_("KTT:n loppuarvioinnit"),
        items=items,
        total=section_total(items, scope.limit, contracts.count),
    )


def ktt_decisions_pending(scope: WorklistScope) -> WorklistSection:
    """Draft KTT contracts sent to one of ``scope.worker_ids`` for the decision (päätös).

    Oldest start first: a contract should be decided before it starts, so one whose start
    has passed is overdue. At most two queries.
    """
    pending = KttContract.objects.filter(
        episode__client__organisation_id=scope.organisation_id,
        status=KttContract.Status.DRAFT,
        decider_id__in=scope.worker_ids,
    )
    rows = pending.values(
        "pk",
        "start",
        "placement__name",
        "decider_id",
        "created_by__first_name",
        "created_by__last_name",
        "episode__client_id",
        "episode__client__first_names",
        "episode__client__last_name",
    ).order_by("start", "pk")[: scope.limit]
    items = tuple(
        WorklistItem(
            client_id=row["episode__client_id"],
            client_name=listed_name(
                row["episode__client__first_names"], row["episode__client__last_name"]
            ),
            worker_id=row["decider_id"],
            due_on=row["start"],
            reason=_(
                "KTT-sopimus odottaa päätöstä: alkaa %(start)s, %(place)s; laatinut %(author)s."
            )
            % {
                "start": day(row["start"]),
                "place": row["placement__name"],
                "author": f"{row['created_by__first_name']} {row['created_by__last_name']}",
            },
            url=reverse(
                "services:contract_detail",
                kwargs={"client_id": row["episode__client_id"], "contract_id": row["pk"]},
            ),
            overdue=row["start"] < scope.today,
        )
        for row in rows
    )
    return WorklistSection(
        key="ktt_decisions_pending",
        title=_("KTT-päätökset"),
        items=items,
        total=section_total(items, scope.limit, pending.count),
    )
