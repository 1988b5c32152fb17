from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "espacefamille.billing"
    label = "billing"
    verbose_name = "Facturation"
