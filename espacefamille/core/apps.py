from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "espacefamille.core"
    label = "core"
    verbose_name = "Collectivités"
