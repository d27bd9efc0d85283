"""Code lists shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactChannel(models.TextChoices):
    """How a meeting, plan or hearing was held (tapa / kanava)."""

    IN_PERSON = "in_person", _("Tapaaminen paikan päällä")
    PHONE = "phone", _("Puhelin")
    REMOTE = "remote", _("Etäyhteys")
