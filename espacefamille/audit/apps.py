from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "espacefamille.audit"
    label = "audit"
    verbose_name = "Journal des actions"
