from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """The agents' back office: views, forms and templates over the domain services (no
    models)."""

    name = "espacefamille.backoffice"
    label = "backoffice"
    verbose_name = "Back-office des agents"
