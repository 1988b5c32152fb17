from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "espacefamille.attendance"
    label = "attendance"
    verbose_name = "Pointage"
