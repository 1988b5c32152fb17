from django.apps import AppConfig


class CounterConfig(AppConfig):
    name = "espacefamille.counter"
    label = "counter"
    verbose_name = "Réservations au guichet"
