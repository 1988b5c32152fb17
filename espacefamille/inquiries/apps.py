from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "espacefamille.inquiries"
    label = "inquiries"
    verbose_name = "Demandes"
