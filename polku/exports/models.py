"""A document made in the background (issue 19.4): large PDFs and workbooks are made by
the task worker while the page shows the progress, then downloaded by whoever asked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Jonossa")
        RUNNING = "running", _("Muodostetaan")
        DONE = "done", _("Valmis")
        FAILED = "failed", _("Epäonnistui")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("asiakirja"), max_length=40)
    params = models.JSONField(default=dict)
    language = models.CharField(max_length=8)
    status = models.CharField(
        _("tila"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("edistyminen %"), default=0)
    # The file holds client data: kept only for the retention period export_file.
    content = models.BinaryField(null=True, editable=False)
    filename = models.CharField(_("tiedosto"), max_length=200, blank=True)
    mime = models.CharField(max_length=100, blank=True)
    error = models.CharField(_("virhe"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("pyydetty"))
    finished_at = models.DateTimeField(_("valmistui"), null=True, blank=True)

    class Meta:
        verbose_name = _("tuloste")
        verbose_name_plural = _("tulosteet")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.created_at:%Y-%m-%d})"

    @property
    def running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
