from django.apps import AppConfig


class ServiceEpisodesConfig(AppConfig):
    name = "polku.service_episodes"
    label = "service_episodes"
    verbose_name = "Palvelut ja kuntouttava työtoiminta"
