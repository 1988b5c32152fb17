from django.apps import AppConfig


class DirectDebitConfig(AppConfig):
    name = "espacefamille.directdebit"
    label = "directdebit"
    verbose_name = "Prélèvement SEPA"

    def ready(self) -> None:
        # Billing's invoice e-mail announces the debit day; billing sits below this app.
        from espacefamille.billing.debit_notice import debit_days_lookup_set

        from .selectors import invoice_debit_days

        debit_days_lookup_set(invoice_debit_days)
