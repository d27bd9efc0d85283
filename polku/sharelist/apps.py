from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharelistConfig(AppConfig):
    name = "polku.sharelist"
    label = "sharelist"
    verbose_name = _("Kuntaosuuslista")
