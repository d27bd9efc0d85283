"""Worklist section of the share list: persons on the latest list nobody has reached yet."""

from django.db.models import Exists, Max, OuterRef, Q
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
    latest = (
        ShareListRow.objects.filter(organisation_id=scope.organisation_id)
        .values("organisation_id")
        .annotate(latest=Max("month"))
        .values("latest")[:1]
    )
    on_list = ShareListRow.objects.filter(client=OuterRef("pk"), month=latest)
    contacted = ContactAttempt.objects.filter(client=OuterRef("pk"), made_on__gte=latest)
    mine = Q(responsible_worker_id__in=scope.worker_ids) | Q(
        share_list_contact_owner__worker_id__in=scope.worker_ids
    )
    condition = mine & Q(~Exists(contacted))
    if len(scope.worker_ids) > 1:  # the team's view also shows who has nobody yet
        condition |= Q(responsible_worker__isnull=True)
    clients = Client.objects.filter(
        Exists(on_list), condition, organisation_id=scope.organisation_id
    )
    rows = clients.order_by("last_name", "first_names", "pk").values(
        "pk", "first_names", "last_name", "responsible_worker_id"
    )[: scope.limit]
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
