from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "espacefamille.payments"
    label = "payments"
    verbose_name = "Paiements en ligne"

    def ready(self) -> None:
        from . import cancellations  # noqa: F401  (listens to bookings_cancelled)
