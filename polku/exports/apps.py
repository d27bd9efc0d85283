from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "polku.exports"
    label = "exports"
    verbose_name = _("Tulosteet")

    def ready(self) -> None:
        # Each app declares its printable documents in its own exports.py.
        autodiscover_modules("exports")
