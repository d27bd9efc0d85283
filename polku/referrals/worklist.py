"""Worklist section of referrals: warm handovers the receiver has not acknowledged."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from polku.core.input_bounds import clamp_date
from polku.core.worklist import (
    WorklistItem,
    WorklistScope,
    WorklistSection,
    day,
    listed_name,
    section_total,
)
from polku.referrals.models import Referral

# Days a handover may wait for acknowledgement before it is flagged; practice, not law.
DEFAULT_HANDOVER_ACKNOWLEDGE_DAYS = 5


def acknowledge_days() -> int:
    return int(
        getattr(settings, "POLKU_HANDOVER_ACKNOWLEDGE_DAYS", DEFAULT_HANDOVER_ACKNOWLEDGE_DAYS)
    )


def handovers_unacknowledged(scope: WorklistScope) -> WorklistSection:
    """Handovers sent by or addressed to the scope's workers that nobody has acknowledged.

    Older than ``POLKU_HANDOVER_ACKNOWLEDGE_DAYS`` (default 5) days: overdue. Two queries at most.
    """
    referrals = Referral.objects.filter(
        Q(organisation_id=scope.organisation_id, sent_by_id__in=scope.worker_ids)
        | Q(
            receiving_organisation_id=scope.organisation_id,
            receiving_worker_id__in=scope.worker_ids,
        ),
        status=Referral.Status.SENT,
    )
    rows = referrals.order_by("sent_on", "pk").values(
        "pk",
        "client_id",
        "client__first_names",
        "client__last_name",
        "kind",
        "sent_on",
        "sent_by_id",
        "receiving_worker_id",
        "organisation_id",
    )[: scope.limit]
    kinds = dict(Referral.Kind.choices)
    oldest = scope.today - timedelta(days=acknowledge_days())
    items = []
    for row in rows:
        received = row["receiving_worker_id"] in scope.worker_ids
        if received:
            reason = _("Sinulle saattaen vaihdettu asiakas (%(kind)s, %(day)s) odottaa kuittausta.")
            url = reverse("referrals:inbox")
        else:
            reason = _("Lähete (%(kind)s, %(day)s) odottaa vastaanottajan kuittausta.")
            url = reverse(
                "referrals:detail",
                kwargs={"client_id": row["client_id"], "referral_id": row["pk"]},
            )
        items.append(
            WorklistItem(
                client_id=row["client_id"],
                client_name=listed_name(row["client__first_names"], row["client__last_name"]),
                worker_id=row["receiving_worker_id"] if received else row["sent_by_id"],
                due_on=clamp_date(row["sent_on"], acknowledge_days()),
                reason=reason % {"kind": kinds[row["kind"]], "day": day(row["sent_on"])},
                url=url,
                overdue=row["sent_on"] < oldest,
            )
        )
    found = tuple(items)
    return WorklistSection(
        key="handovers_unacknowledged",
        title=_("Kuittaamattomat saattaen vaihdot"),
        items=found,
        total=section_total(found, scope.limit, referrals.count),
    )
