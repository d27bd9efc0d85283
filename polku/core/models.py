"""The base model of records several people edit (ARCHITECTURE: core holds the base model)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedRecord(models.Model):
    """A record with its creation and change times and a version for optimistic locking.

    Services save with the version the user opened; a different stored version is a
    conflict, so a concurrent edit is never silently overwritten.
    """

    created_at = models.DateTimeField(_("lisätty"))
    updated_at = models.DateTimeField(_("muutettu"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
