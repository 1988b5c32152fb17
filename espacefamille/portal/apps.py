from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "espacefamille.portal"
    label = "portal"
    verbose_name = "Portail famille"
