from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "polku.core"
    verbose_name = _("Perusta")

    def ready(self) -> None:
        # Registers the deploy checks (check --deploy).
        from polku.core import checks  # noqa: F401
        from polku.core.input_bounds import install_form_bounds

        install_form_bounds()
