from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "espacefamille.demo"
    label = "demo"
    verbose_name = "Démonstration"
