"""Access log (käyttöloki) and change history, written in the same transaction as the act.

Rows are only ever inserted: no code path updates or deletes them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLogEntry(models.Model):
    """One read of one client's data by one user (703/2023 käyttöloki)."""

    class Kind(models.TextChoices):
        RECORD = "record", _("Asiakastiedon avaus")
        LIST = "list", _("Asiakasluettelo tai haku")

    class Channel(models.TextChoices):
        UI = "ui", _("Käyttöliittymä")
        API = "api", _("Rajapinta")

    at = models.DateTimeField(_("aika"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="access_log"
    )
    kind = models.CharField(_("laji"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("kanava"), max_length=8, choices=Channel.choices)
    view = models.CharField(_("näkymä"), max_length=100)
    reason = models.TextField(_("peruste"), blank=True)
    break_glass = models.BooleanField(_("poikkeuskäyttö"), default=False)

    class Meta:
        verbose_name = _("käyttölokin rivi")
        verbose_name_plural = _("käyttöloki")
        indexes = [models.Index(fields=["client", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} → {self.client_id}"


class ChangeLogEntry(models.Model):
    """One change to a record: who, when, which event, old and new values."""

    # No database constraints on the keys (like django-simple-history's history rows):
    # a row is written by the service that made the change, in its transaction, and each
    # constraint's check locks the referenced row once per history row at commit —
    # measured 2.2 s of a 3.4 s commit when a share list created 250,000 clients.
    # Deleting a user, an organisation or a client with history is still refused
    # (PROTECT) by the ORM.
    at = models.DateTimeField(_("aika"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    event = models.CharField(_("tapahtuma"), max_length=100)
    object_type = models.CharField(_("kohteen tyyppi"), max_length=100)
    object_id = models.CharField(_("kohteen tunniste"), max_length=64)
    # No index of its own: ``(client, at)`` serves every lookup by client.
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_log",
        db_constraint=False,
        db_index=False,
    )
    changes = models.JSONField(_("muutokset"), default=dict)

    class Meta:
        verbose_name = _("muutoshistorian rivi")
        verbose_name_plural = _("muutoshistoria")
        indexes = [
            models.Index(fields=["client", "at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.object_type}#{self.object_id}"


class DisclosureLogEntry(models.Model):
    """One disclosure of a client's data outside the organisation (luovutusloki).

    Written in the transaction of the disclosure; never updated or deleted.
    """

    at = models.DateTimeField(_("aika"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="disclosure_log"
    )
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastaanottaja"),
    )
    recipient_description = models.CharField(_("vastaanottajan kuvaus"), max_length=300)
    disclosed = models.TextField(_("luovutetut tiedot"))
    legal_basis = models.CharField(_("peruste"), max_length=300)
    consent = models.ForeignKey(
        "clients.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suostumus"),
    )

    class Meta:
        verbose_name = _("luovutuslokin rivi")
        verbose_name_plural = _("luovutusloki")
        indexes = [models.Index(fields=["client", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.client_id} → {self.recipient_organisation_id}"
