"""The demo bank sends the browser back only to the portal's own return page, rebuilt from the
payment's provider: a ``return_url`` or ``direct_notification_url`` in the request (off-site,
``https:evil.example``, ``javascript:``) is ignored, never followed and never a 500."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from espacefamille.payments.models import Payment, PaymentState

from ..bookings.conftest import Setup
from .conftest import bank_params, fill_wednesdays

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https:evil.example",
    "https://evil.example/paiement/retour/1/",
    "//evil.example/",
    "/\\evil.example",
    "javascript:alert(1)",
    "http://testserver:99999/",
    "\x00",
]


def bank_url(setup: Setup) -> str:
    data = {"service": setup.wednesday.pk, "enfant": setup.paul.pk, "semaine": "2026-11-16"}
    return setup.family.client.post(reverse("portal:cart_validate"), data)["Location"]


@pytest.mark.parametrize("return_url", HOSTILE)
def test_the_demo_bank_only_sends_back_to_the_portal(
    setup: Setup,
    provider,  # type: ignore[no-untyped-def]
    return_url: str,
) -> None:
    fill_wednesdays(setup)
    bank = bank_url(setup)
    fields = {**bank_params(bank), "action": "pay", "return_url": return_url}
    response = setup.family.client.post(urlsplit(bank).path, fields)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert not location.scheme and not location.netloc
    assert location.path == reverse("payments:return", args=[provider.pk])
    assert Payment.objects.get().state == PaymentState.PAID


def test_a_hostile_notification_address_is_ignored(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    bank = bank_url(setup)
    fields = {**bank_params(bank), "action": "pay", "direct_notification_url": "javascript:1"}
    response = setup.family.client.post(urlsplit(bank).path, fields)
    assert response.status_code == 302
    assert Payment.objects.get().state == PaymentState.PAID


def test_the_demo_bank_page_carries_no_address(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    bank = bank_url(setup)
    page = setup.family.client.get(bank + "&return_url=https:evil.example").content.decode()
    assert "evil.example" not in page
