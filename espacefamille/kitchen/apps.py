from django.apps import AppConfig


class KitchenConfig(AppConfig):
    name = "espacefamille.kitchen"
    label = "kitchen"
    verbose_name = "Effectifs de la cuisine"
