"""The demo town pays online through eopayment's ``dummy`` backend and our demo bank page
("Mode démonstration — aucun paiement réel"), for every régie; places held 20 minutes."""

from __future__ import annotations

from espacefamille.core.models import Municipality
from espacefamille.payments.models import DEFAULT_HOLD_MINUTES, PaymentSettings, ProviderConfig


def load_payments_demo(town: Municipality) -> None:
    ProviderConfig.objects.get_or_create(
        municipality=town,
        service=None,
        defaults={"backend": "dummy", "options": {"origin": town.name}},
    )
    PaymentSettings.objects.get_or_create(
        municipality=town, defaults={"hold_minutes": DEFAULT_HOLD_MINUTES}
    )
