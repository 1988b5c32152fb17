from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "espacefamille.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from . import login_limits  # noqa: F401  (connects the sign-in failure receivers)
