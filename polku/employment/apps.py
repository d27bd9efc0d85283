from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "polku.employment"
    label = "employment"
    verbose_name = "Velvoitetyöllistäminen ja palkkatuki"
