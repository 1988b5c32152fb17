from django.apps import AppConfig


class DirectDebitConfig(AppConfig):
    name = "espacefamille.directdebit"
    label = "directdebit"
    verbose_name = "Prélèvement SEPA"
