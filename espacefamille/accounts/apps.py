from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "espacefamille.accounts"
    label = "accounts"
    verbose_name = "Comptes"
