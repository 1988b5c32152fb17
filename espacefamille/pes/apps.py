from django.apps import AppConfig


class PesConfig(AppConfig):
    name = "espacefamille.pes"
    label = "pes"
    verbose_name = "Titres de recettes (PES V2)"
