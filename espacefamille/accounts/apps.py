from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "espacefamille.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        # Connect the receivers (sign-in failures, session clocks, inactive logins).
        from . import login_limits, session_limits  # noqa: F401
