"""The demo town pays online through eopayment's ``dummy`` backend and our demo bank page
("Mode démonstration — aucun paiement réel"), for every régie; places held 20 minutes; a
prepaid booking cancelled within its deadline gives a credit."""

from __future__ import annotations

from espacefamille.catalog.models import BillingMode, Service
from espacefamille.core.models import Municipality
from espacefamille.payments.models import (
    DEFAULT_HOLD_MINUTES,
    CancellationOutcome,
    CancellationRule,
    PaymentSettings,
    ProviderConfig,
)


def load_payments_demo(town: Municipality) -> None:
    """A cancelled Wednesday (within its deadline) gives a credit in the demo."""
    ProviderConfig.objects.get_or_create(
        municipality=town,
        service=None,
        defaults={"backend": "dummy", "options": {"origin": town.name}},
    )
    PaymentSettings.objects.get_or_create(
        municipality=town, defaults={"hold_minutes": DEFAULT_HOLD_MINUTES}
    )
    for service in Service.objects.filter(municipality=town, billing_mode=BillingMode.PREPAID):
        CancellationRule.objects.get_or_create(
            municipality=town, service=service, defaults={"outcome": CancellationOutcome.CREDIT}
        )
