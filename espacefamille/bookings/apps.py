from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "espacefamille.bookings"
    label = "bookings"
    verbose_name = "Réservations"
