"""Worklist sections of the client register: contact details to check, consents ending."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from polku.clients.models import Client, Consent
from polku.core.worklist import (
    WorklistItem,
    WorklistScope,
    WorklistSection,
    day,
    listed_name,
    section_total,
)

CONSENT_WARNING_DAYS = 30  # how early a caseworker wants to hear that a consent is ending


def contacts_not_verified(scope: WorklistScope) -> WorklistSection:
    """Clients whose contact details were last checked over N days ago (or never).

    The seed's practice is to check contact details at every meeting; N is the
    ``POLKU_CONTACT_VERIFY_DAYS`` setting.
    """
    oldest = scope.today - timedelta(days=settings.POLKU_CONTACT_VERIFY_DAYS)
    clients = Client.objects.filter(
        Q(contact_verified_on__lt=oldest) | Q(contact_verified_on__isnull=True),
        organisation_id=scope.organisation_id,
        responsible_worker_id__in=scope.worker_ids,
    )
    rows = clients.order_by("contact_verified_on", "pk").values(
        "pk", "first_names", "last_name", "responsible_worker_id", "contact_verified_on"
    )[: scope.limit]
    items = tuple(
        WorklistItem(
            client_id=row["pk"],
            client_name=listed_name(row["first_names"], row["last_name"]),
            worker_id=row["responsible_worker_id"],
            due_on=row["contact_verified_on"],
            reason=_("Yhteystiedot tarkistettu viimeksi %(day)s.")
            % {"day": day(row["contact_verified_on"])}
            if row["contact_verified_on"]
            else _("Yhteystietoja ei ole koskaan tarkistettu."),
            url=reverse("clients:edit", kwargs={"client_id": row["pk"]}),
            overdue=True,
        )
        for row in rows
    )
    return WorklistSection(
        key="contacts_not_verified",
        title=_("Yhteystiedot tarkistamatta"),
        items=items,
        total=section_total(items, scope.limit, clients.count),
    )


def consents_expiring(scope: WorklistScope) -> WorklistSection:
    """Valid consents that end within the warning period, so they can be renewed in time."""
    consents = Consent.objects.filter(
        client__organisation_id=scope.organisation_id,
        client__responsible_worker_id__in=scope.worker_ids,
        withdrawn_on__isnull=True,
        expires_on__gte=scope.today,
        expires_on__lte=scope.today + timedelta(days=CONSENT_WARNING_DAYS),
    )
    rows = consents.order_by("expires_on", "pk").values(
        "client_id",
        "client__first_names",
        "client__last_name",
        "client__responsible_worker_id",
        "expires_on",
        "party",
    )[: scope.limit]
    parties = dict(Consent.Party.choices)
    items = tuple(
        WorklistItem(
            client_id=row["client_id"],
            client_name=listed_name(row["client__first_names"], row["client__last_name"]),
            worker_id=row["client__responsible_worker_id"],
            due_on=row["expires_on"],
            reason=_("Suostumus (%(party)s) päättyy %(day)s.")
            % {"party": parties[row["party"]], "day": day(row["expires_on"])},
            url=reverse("clients:consent_add", kwargs={"client_id": row["client_id"]}),
        )
        for row in rows
    )
    return WorklistSection(
        key="consents_expiring",
        title=_("Päättyvät suostumukset"),
        items=items,
        total=section_total(items, scope.limit, consents.count),
    )
