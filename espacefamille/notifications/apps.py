from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "espacefamille.notifications"
    label = "notifications"
    verbose_name = "Notifications aux familles"
