from django.apps import AppConfig


class QuotientConfig(AppConfig):
    name = "espacefamille.quotient"
    label = "quotient"
    verbose_name = "Quotient familial (API Particulier)"
