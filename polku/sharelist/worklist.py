"""Worklist section of the share list: persons on the latest list nobody has reached yet."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from polku.clients.models import Client
from polku.core.worklist import (
    WorklistItem,
    WorklistScope,
    WorklistSection,
    listed_name,
    section_total,
)
from polku.sharelist.models import ContactAttempt, ShareListRow


def persons_without_worker_or_contact(scope: WorklistScope) -> WorklistSection:
    """People on the latest list without a responsible worker (team view) or not contacted.

    Not contacted: no contact attempt since the list month began, while their contact
    owner or responsible worker is one of ``scope.worker_ids``. The latest month is a
    subquery, so the section stays at two queries.
    """
    latest = (  # read backwards off the (organisation, month) index, not aggregated
        ShareListRow.objects.filter(organisation_id=scope.organisation_id)
        .order_by("-month")
        .values("month")[:1]
    )
    on_list = Client.objects.filter(
        Exists(ShareListRow.objects.filter(client=OuterRef("pk"), month=latest)),
        organisation_id=scope.organisation_id,
    )
    not_contacted = on_list.filter(
        ~Exists(ContactAttempt.objects.filter(client=OuterRef("pk"), made_on__gte=latest))
    )
    # One branch per way a person can be the worker's, joined by UNION: an OR across the
    # contact-owner join would scan every client of the organisation.
    branches = [
        not_contacted.filter(responsible_worker_id__in=scope.worker_ids),
        not_contacted.filter(share_list_contact_owner__worker_id__in=scope.worker_ids),
    ]
    if len(scope.worker_ids) > 1:  # the team's view also shows who has nobody yet
        branches.append(on_list.filter(responsible_worker__isnull=True))
    fields = ("pk", "first_names", "last_name", "responsible_worker_id")
    first, *rest = (branch.values(*fields) for branch in branches)
    clients = first.union(*rest)
    rows = clients.order_by("last_name", "first_names", "pk")[: scope.limit]
    items = tuple(
        WorklistItem(
            client_id=row["pk"],
            client_name=listed_name(row["first_names"], row["last_name"]),
            worker_id=row["responsible_worker_id"],
            due_on=None,
            reason=_("Kuntaosuuslistalla, ei vastuutyöntekijää.")
            if row["responsible_worker_id"] is None
            else _("Kuntaosuuslistalla, ei yhteydenottoa listan saapumisen jälkeen."),
            url=reverse("sharelist:contact", kwargs={"client_id": row["pk"]}),
        )
        for row in rows
    )
    return WorklistSection(
        key="share_list_not_reached",
        title=_("Kuntaosuuslista: tavoittamatta"),
        items=items,
        total=section_total(items, scope.limit, clients.count),
    )
