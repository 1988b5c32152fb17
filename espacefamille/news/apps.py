from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "espacefamille.news"
    label = "news"
    verbose_name = "Actualités"
