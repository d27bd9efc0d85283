from django.apps import AppConfig


class KttConfig(AppConfig):
    name = "polku.ktt"
    label = "ktt"
    verbose_name = "KTT:n tuottajat ja työarviot"
