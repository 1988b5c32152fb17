from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "espacefamille.households"
    label = "households"
    verbose_name = "Foyers"
