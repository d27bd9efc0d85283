from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "polku.api"
    verbose_name = "REST API"
