"""The bookings' town and family (frozen on Tuesday 10/11/2026, 09:00 in Paris), the demo
provider (eopayment's dummy backend and our demo bank page), and helpers that put
MERCREDI JOURNEE in the cart and deliver the bank's notification."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from espacefamille.bookings.cart import cart_toggle
from espacefamille.payments.checkout import Checkout, cart_checkout
from espacefamille.payments.models import Payment, ProviderConfig

from ..bookings.conftest import Setup, frozen, setup  # noqa: F401 (fixtures)

WED_18 = date(2026, 11, 18)
WED_25 = date(2026, 11, 25)
BASE_URL = "http://testserver/"
TWENTY_FOUR = Decimal("24.00")


@pytest.fixture
def provider(setup: Setup, settings) -> ProviderConfig:  # type: ignore[no-untyped-def]  # noqa: F811
    settings.DEBUG = True  # the demo bank is allowed
    return ProviderConfig.objects.create(
        municipality=setup.family.household.municipality, backend="dummy", options={}
    )


def fill_wednesdays(setup: Setup, days: tuple[date, ...] = (WED_18, WED_25)) -> None:  # noqa: F811
    for day in days:
        cart_toggle(
            household=setup.family.household,
            child=setup.paul,
            product=setup.p("MERCREDI JOURNEE"),
            day=day,
        )


def checkout(setup: Setup) -> Checkout:  # noqa: F811
    return cart_checkout(
        household=setup.family.household,
        user=setup.family.user,
        email=setup.family.user.email,
        base_url=BASE_URL,
    )


def bank_params(url: str) -> dict[str, str]:
    """What eopayment's dummy request sent to the (demo) bank page."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def notification(payment: Payment, **fields: str) -> str:
    """The dummy bank's signed notification for ``payment`` (``ok`` paid, ``reason=refused``)."""
    query = {
        "transaction_id": payment.transaction_id,
        "amount": str(payment.amount),
        "orderid": payment.reference,
        "signed": "1",
        **fields,
    }
    return urlencode({key: value for key, value in query.items() if value is not None})
