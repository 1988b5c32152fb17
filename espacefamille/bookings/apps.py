from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "espacefamille.bookings"
    label = "bookings"
    verbose_name = "Réservations"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the ledger to product changes)
