from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    name = "espacefamille.configuration"
    label = "configuration"
    verbose_name = "Paramétrage"
