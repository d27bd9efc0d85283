from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BreakGlassGrant(models.Model):
    """A reasoned, time-limited opening of one record without a care relationship."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    reason = models.TextField(_("peruste"))
    granted_at = models.DateTimeField(_("avattu"))
    expires_at = models.DateTimeField(_("voimassa asti"))

    class Meta:
        verbose_name = _("poikkeuskäyttö")
        verbose_name_plural = _("poikkeuskäytöt")
        indexes = [models.Index(fields=["user", "client", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="break_glass_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.client_id} {self.granted_at:%Y-%m-%d %H:%M}"
