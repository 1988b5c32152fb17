"""Notifications from a backend that really signs (SystemPay/PayZen, HMAC-SHA256 with a test
key, signed offline by eopayment's own ``signature``): a forged, altered or replayed one
changes nothing; the right one settles once."""

from __future__ import annotations

from urllib.parse import urlencode

import eopayment
import pytest

from espacefamille.bookings.models import Booking, PlaceHold
from espacefamille.payments.models import (
    NotificationChannel,
    Payment,
    PaymentState,
    ProviderConfig,
)
from espacefamille.payments.notifications import notification_receive

from ..bookings.conftest import Setup
from .conftest import BASE_URL, checkout, fill_wednesdays

pytestmark = pytest.mark.django_db

OPTIONS = {
    "secret_test": "1122334455667788",
    "site_id": "12345678",
    "signature_algo": "hmac_sha256",
}


@pytest.fixture
def systempay(setup: Setup) -> ProviderConfig:
    return ProviderConfig.objects.create(
        municipality=setup.family.household.municipality, backend="systempayv2", options=OPTIONS
    )


def signed(payment: Payment, **changes: str) -> dict[str, str]:
    trans_date, trans_id = payment.transaction_id.split("_")
    fields = {
        "vads_ctx_mode": "TEST",
        "vads_site_id": OPTIONS["site_id"],
        "vads_trans_date": trans_date,
        "vads_trans_id": trans_id,
        "vads_order_id": payment.reference,
        "vads_amount": str(int(payment.amount * 100)),
        "vads_currency": "978",
        "vads_result": "00",
        "vads_auth_result": "00",
        "vads_trans_status": "AUTHORISED",
    }
    fields.update(changes)
    backend = eopayment.Payment("systempayv2", OPTIONS)
    fields["signature"] = backend.backend.signature(fields)
    return fields


def deliver(config: ProviderConfig, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    return notification_receive(
        config=config,
        query_string=urlencode(fields),
        channel=NotificationChannel.NOTIFICATION,
        base_url=BASE_URL,
    )


def test_checkout_gives_the_form_to_post(setup: Setup, systempay: ProviderConfig) -> None:
    fill_wednesdays(setup)
    result = checkout(setup)
    payment = result.payment
    assert payment is not None and result.redirect_url == ""
    assert payment.provider_form["url"].startswith("https://")
    fields = dict(payment.provider_form["fields"])
    assert fields["vads_amount"] == "2400" and fields["vads_order_id"] == payment.reference


def test_a_signed_notification_settles_once(setup: Setup, systempay: ProviderConfig) -> None:
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    fields = signed(payment)
    assert deliver(systempay, fields).ok
    assert deliver(systempay, fields).ok  # replayed: success, no change
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert Booking.objects.count() == 2 and not PlaceHold.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        {"vads_amount": "1"},  # altered after signing
        {"signature": "forged"},
        {"vads_order_id": "EFOTHER"},
    ],
)
def test_an_altered_or_forged_notification_changes_nothing(
    setup: Setup, systempay: ProviderConfig, tamper: dict[str, str]
) -> None:
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    fields = {**signed(payment), **tamper}
    assert not deliver(systempay, fields).ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert not Booking.objects.exists() and PlaceHold.objects.count() == 2


def test_a_signed_notification_for_another_amount_changes_nothing(
    setup: Setup, systempay: ProviderConfig
) -> None:
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    assert not deliver(systempay, signed(payment, vads_amount="100")).ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


def test_a_signed_refusal_releases_the_places(setup: Setup, systempay: ProviderConfig) -> None:
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    refusal = signed(payment, vads_result="05", vads_auth_result="05", vads_trans_status="REFUSED")
    assert deliver(systempay, refusal).ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.REFUSED and not PlaceHold.objects.exists()


def test_secrets_are_masked(systempay: ProviderConfig) -> None:
    assert systempay.masked_options["secret_test"] == "••••••88"
    assert "1122334455667788" not in repr(systempay)


def test_the_secret_never_reaches_the_logs(
    setup: Setup, systempay: ProviderConfig, caplog: pytest.LogCaptureFixture
) -> None:
    fill_wednesdays(setup)
    caplog.set_level("DEBUG")
    payment = checkout(setup).payment
    assert OPTIONS["secret_test"] not in caplog.text
    fields = signed(payment)  # the test's own signing logs at DEBUG, with the secret
    caplog.clear()
    assert deliver(systempay, fields).ok
    assert OPTIONS["secret_test"] not in caplog.text


def test_payfip_receives_the_invoice_number_as_its_reference() -> None:
    from espacefamille.billing.models import Invoice
    from espacefamille.payments.providers import request_kwargs

    payment = Payment(
        reference="EF0123", backend="payfip_ws", invoice=Invoice(number="2026-RS-000123")
    )
    assert request_kwargs(payment) == {
        "orderid": "EF0123",
        "subject": "EF0123",
        "refdet": "2026RS000123",
    }
    payment.backend = "systempayv2"
    assert "refdet" not in request_kwargs(payment)
