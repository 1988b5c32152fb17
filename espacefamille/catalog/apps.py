from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "espacefamille.catalog"
    label = "catalog"
    verbose_name = "Services et prestations"
