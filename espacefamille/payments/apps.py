from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "espacefamille.payments"
    label = "payments"
    verbose_name = "Paiements en ligne"
