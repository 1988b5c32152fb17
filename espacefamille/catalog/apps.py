from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "espacefamille.catalog"
    label = "catalog"
    verbose_name = "Services et prestations"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (the calendar version follows its rows)
