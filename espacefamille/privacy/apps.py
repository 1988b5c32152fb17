from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "espacefamille.privacy"
    label = "privacy"
    verbose_name = "Données personnelles"
