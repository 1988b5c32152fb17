from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "espacefamille.billing"
    label = "billing"
    verbose_name = "Facturation"

    def ready(self) -> None:
        from espacefamille.notifications.reminders import reminder_register

        from .due_reminders import invoice_reminders_send

        reminder_register(invoice_reminders_send)
