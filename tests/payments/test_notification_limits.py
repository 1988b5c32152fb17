"""What anonymous callers can make us store at the notification door is bounded — an unsigned
request over 8 kB is answered 413, the 21st unsigned one from an address within a minute 429,
neither writes a row — and a genuine, signed notification is never dropped: not when it is
large, not when its address is over the limit. Signed offline with SystemPay's HMAC."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from espacefamille.core.tenancy import scopes_disabled
from espacefamille.payments.models import Payment, PaymentNotification, PaymentState, ProviderConfig
from espacefamille.payments.notification_limits import MAX_UNSIGNED_PER_MINUTE

from ..bookings.conftest import NOW, Setup
from .conftest import checkout, fill_wednesdays
from .test_notification_matching import resigned
from .test_systempay import signed, systempay  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

FLOODER = "203.0.113.7"
PROVIDER = "198.51.100.20"
FORM = "application/x-www-form-urlencoded"


def rows() -> int:
    with scopes_disabled():
        return PaymentNotification.objects.count()


def post(client, config: ProviderConfig, body: str, address: str):  # type: ignore[no-untyped-def]
    url = reverse("payments:notify", args=[config.pk])
    return client.post(url, body, content_type=FORM, REMOTE_ADDR=address)


@pytest.fixture
def payment(setup: Setup, systempay: ProviderConfig) -> Payment:  # noqa: F811
    fill_wednesdays(setup)
    found = checkout(setup).payment
    assert found is not None
    return found


def test_an_unsigned_body_over_8_kb_is_refused_without_a_row(
    client,  # type: ignore[no-untyped-def]
    systempay: ProviderConfig,  # noqa: F811
    payment: Payment,
) -> None:
    forged = {**signed(payment), "vads_order_info": "x" * 9000, "signature": "forged"}
    assert post(client, systempay, urlencode(forged), FLOODER).status_code == 413
    url = reverse("payments:notify", args=[systempay.pk]) + "?" + "a=" + "x" * 9000
    assert client.get(url, REMOTE_ADDR=FLOODER).status_code == 413
    assert rows() == 0
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


def test_a_signed_notification_over_8_kb_is_still_applied(
    client,  # type: ignore[no-untyped-def]
    systempay: ProviderConfig,  # noqa: F811
    payment: Payment,
) -> None:
    large = resigned({**signed(payment), "vads_order_info": "x" * 9000})
    assert post(client, systempay, urlencode(large), PROVIDER).status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and rows() == 1


def test_unsigned_requests_from_one_address_are_bounded_per_minute(
    client,  # type: ignore[no-untyped-def]
    systempay: ProviderConfig,  # noqa: F811
    payment: Payment,
) -> None:
    forged = urlencode({**signed(payment), "signature": "forged"})
    for _attempt in range(MAX_UNSIGNED_PER_MINUTE):
        assert post(client, systempay, forged, FLOODER).status_code == 400
    assert rows() == MAX_UNSIGNED_PER_MINUTE
    assert post(client, systempay, forged, FLOODER).status_code == 429
    assert post(client, systempay, "garbage", FLOODER).status_code == 429
    assert rows() == MAX_UNSIGNED_PER_MINUTE
    # another address is not affected, and the flood's address is free again a minute later
    assert post(client, systempay, forged, "192.0.2.1").status_code == 400
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert post(client, systempay, forged, FLOODER).status_code == 400
    assert rows() == MAX_UNSIGNED_PER_MINUTE + 2
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


def test_a_genuine_notification_from_a_flooded_address_is_applied(
    client,  # type: ignore[no-untyped-def]
    systempay: ProviderConfig,  # noqa: F811
    payment: Payment,
) -> None:
    forged = urlencode({**signed(payment), "signature": "forged"})
    for _attempt in range(MAX_UNSIGNED_PER_MINUTE + 1):
        post(client, systempay, forged, PROVIDER)
    assert post(client, systempay, forged, PROVIDER).status_code == 429
    assert post(client, systempay, urlencode(signed(payment)), PROVIDER).status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID


def test_browser_returns_over_the_limit_write_no_row(
    client,  # type: ignore[no-untyped-def]
    systempay: ProviderConfig,  # noqa: F811
    payment: Payment,
) -> None:
    url = reverse("payments:return", args=[systempay.pk])
    unsigned = {"vads_trans_id": "1", "signature": "forged"}
    for _attempt in range(MAX_UNSIGNED_PER_MINUTE + 3):
        assert client.get(url, unsigned, REMOTE_ADDR=FLOODER).status_code == 302
    assert rows() == MAX_UNSIGNED_PER_MINUTE
    assert client.get(url, {"a": "x" * 9000}, REMOTE_ADDR="192.0.2.1").status_code == 302
    assert rows() == MAX_UNSIGNED_PER_MINUTE
