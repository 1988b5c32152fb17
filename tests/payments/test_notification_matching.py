"""A signed notification settles a payment only when its order reference is there and equal to
ours and its amount equals ours exactly (no rounding); otherwise it is recorded as refused and
changes nothing. Signed offline with SystemPay's HMAC, as the provider signs."""

from __future__ import annotations

import eopayment
import pytest

from espacefamille.bookings.models import Booking, PlaceHold
from espacefamille.core.tenancy import scopes_disabled
from espacefamille.payments.models import (
    NotificationOutcome,
    PaymentNotification,
    PaymentState,
    ProviderConfig,
)

from ..bookings.conftest import Setup
from .conftest import checkout, fill_wednesdays
from .test_systempay import OPTIONS, deliver, signed, systempay  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def resigned(fields: dict[str, str]) -> dict[str, str]:
    fields = {name: value for name, value in fields.items() if name != "signature"}
    fields["signature"] = eopayment.Payment("systempayv2", OPTIONS).backend.signature(fields)
    return fields


def assert_refused(payment, reason: str) -> None:  # type: ignore[no-untyped-def]
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert not Booking.objects.exists() and PlaceHold.objects.count() == 2
    with scopes_disabled():
        notice = PaymentNotification.objects.get()
    assert notice.outcome == NotificationOutcome.REJECTED and notice.detail == reason


def test_a_signed_paid_without_order_reference_changes_nothing(
    setup: Setup,
    systempay: ProviderConfig,  # noqa: F811
) -> None:
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    fields = signed(payment)
    del fields["vads_order_id"]
    assert not deliver(systempay, resigned(fields)).ok
    assert_refused(payment, "order reference")


@pytest.mark.parametrize("cents", ["2400.4", "2399.6", "2400.001"])
def test_a_signed_paid_with_an_amount_off_by_less_than_a_cent_changes_nothing(
    setup: Setup,
    systempay: ProviderConfig,  # noqa: F811
    cents: str,
) -> None:
    fill_wednesdays(setup)
    payment = checkout(setup).payment  # 24.00
    assert not deliver(systempay, signed(payment, vads_amount=cents)).ok
    assert_refused(payment, "amount")


@pytest.mark.parametrize("cents", ["NaN", "sNaN", "Infinity", "1e999999"])
def test_a_signed_paid_with_a_nonsense_amount_changes_nothing(
    setup: Setup,
    systempay: ProviderConfig,  # noqa: F811
    cents: str,
) -> None:
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    assert not deliver(systempay, signed(payment, vads_amount=cents)).ok
    assert_refused(payment, "amount")


def test_the_exact_amount_written_otherwise_still_settles(
    setup: Setup,
    systempay: ProviderConfig,  # noqa: F811
) -> None:
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    assert deliver(systempay, signed(payment, vads_amount="2400.00")).ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
