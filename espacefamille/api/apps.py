from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "espacefamille.api"
    label = "api"
    verbose_name = "API ouverte"
