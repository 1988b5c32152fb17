"""The doors: "Valider" on a prepaid cart sends the family to the demo bank; the bank page's
buttons deliver the notification then the browser return; the notification endpoint answers
200 or 400; the browser return alone never marks paid; "Payer en ligne" on an invoice."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from espacefamille.billing.models import Invoice, InvoiceStatus, SettlementMethod
from espacefamille.bookings.models import Booking, BookingStatus, CartLine, PlaceHold
from espacefamille.payments.models import Payment, PaymentKind, PaymentState

from ..bookings.conftest import Setup
from .conftest import bank_params, fill_wednesdays, notification

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def valider(setup: Setup, **headers: str):  # type: ignore[no-untyped-def]
    data = {"service": setup.wednesday.pk, "enfant": setup.paul.pk, "semaine": "2026-11-16"}
    return setup.family.client.post(reverse("portal:cart_validate"), data, **headers)


def test_valider_sends_a_prepaid_cart_to_the_bank(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    agenda = setup.family.client.get(
        reverse("portal:agenda"), {"service": setup.wednesday.pk, "semaine": "2026-11-16"}
    )
    assert "Total à payer : <strong>24,00" in text(agenda)
    response = valider(setup)
    assert response.status_code == 302
    assert response["Location"].startswith("http://testserver/paiement/banque-demo/?")
    assert not Booking.objects.exists() and PlaceHold.objects.count() == 2
    week = text(
        setup.family.client.get(
            reverse("portal:agenda"),
            {"service": setup.wednesday.pk, "enfant": setup.paul.pk, "semaine": "2026-11-16"},
        )
    )
    assert "Demande de réservation" in week and "paiement en cours" in week


def test_valider_with_htmx_redirects_the_whole_page(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    response = valider(setup, **HTMX)
    assert "/paiement/banque-demo/" in response["HX-Redirect"]


def test_a_second_valider_replaces_the_first_attempt(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    valider(setup)
    valider(setup)
    states = sorted(Payment.objects.values_list("state", flat=True))
    assert states == [PaymentState.CANCELLED, PaymentState.PENDING]
    assert PlaceHold.objects.count() == 2


def test_the_demo_bank_pays_and_the_family_comes_back(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    bank = valider(setup)["Location"]
    client = setup.family.client
    page = text(client.get(bank))
    assert "Mode démonstration — aucun paiement réel" in page
    for button in ("Payer", "Refuser", "Annuler"):
        assert f">{button}</button>" in page
    back = client.post(
        urlsplit(bank).path, {**bank_params(bank), "action": "pay"}
    )  # the notification is delivered, then the browser sent back
    assert back.status_code == 302 and "/paiement/retour/" in back["Location"]
    status = client.get(back["Location"], follow=True)
    page = text(status)
    assert "Paiement accepté" in page and "Une copie de ce ticket vous est envoyée par mail" in page
    assert Booking.objects.filter(status=BookingStatus.VALIDATED).count() == 2
    assert not CartLine.objects.exists()


def test_the_demo_bank_refuses_and_nothing_is_booked(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    bank = valider(setup)["Location"]
    client = setup.family.client
    back = client.post(urlsplit(bank).path, {**bank_params(bank), "action": "refuse"})
    page = text(client.get(back["Location"], follow=True))
    assert "Paiement refusé" in page and "votre panier est intact" in page
    assert not Booking.objects.exists() and not PlaceHold.objects.exists()
    assert CartLine.objects.count() == 2


def test_the_demo_bank_is_refused_outside_debug(setup: Setup, provider, settings) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    bank = valider(setup)["Location"]
    settings.DEBUG, settings.DEMO_BANK = False, False
    assert setup.family.client.get(bank).status_code == 404
    settings.DEMO_BANK = True
    assert setup.family.client.get(bank).status_code == 200


def test_the_browser_return_alone_never_marks_paid(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    valider(setup)
    payment = Payment.objects.get()
    url = reverse("payments:return", args=[provider.pk])
    response = setup.family.client.get(
        url, {"transaction_id": payment.transaction_id, "ok": "1", "signed": "1"}
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING and not Booking.objects.exists()
    assert "Paiement en cours" in text(setup.family.client.get(response["Location"]))


def test_the_notification_endpoint_answers_200_or_400(setup: Setup, provider, client) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    valider(setup)
    payment = Payment.objects.get()
    url = reverse("payments:notify", args=[provider.pk])
    kind = "application/x-www-form-urlencoded"
    forged = client.post(url, notification(payment, ok="1", amount="1.00"), content_type=kind)
    assert forged.status_code == 400
    good = client.post(url, notification(payment, ok="1"), content_type=kind)
    assert good.status_code == 200
    again = client.post(url, notification(payment, ok="1"), content_type=kind)
    assert again.status_code == 200
    assert client.post(url, "garbage", content_type=kind).status_code == 400
    assert client.get(reverse("payments:notify", args=[999999])).status_code == 404
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and Booking.objects.count() == 2


def test_pay_an_unpaid_invoice_online(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    invoice = Invoice.objects.create(
        municipality=setup.family.household.municipality,
        service=setup.restaurant,
        household=setup.family.household,
        recipient_name="M. DUPONT",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        status=InvoiceStatus.FINAL,
        number="2026-RS-000001",
        issued_on=date(2026, 11, 2),
        due_on=date(2026, 11, 30),
        total=Decimal("41.30"),
    )
    client = setup.family.client
    detail = text(client.get(reverse("portal:invoice_detail", args=[invoice.pk])))
    assert "Payer en ligne" in detail
    bank = client.post(reverse("portal:invoice_pay", args=[invoice.pk]))["Location"]
    assert bank_params(bank)["amount"] == "41.30"
    client.post(urlsplit(bank).path, {**bank_params(bank), "action": "pay"})
    payment = Payment.objects.get()
    assert payment.kind == PaymentKind.INVOICE and payment.state == PaymentState.PAID
    (allocation,) = invoice.allocations.select_related("settlement")
    assert allocation.amount == Decimal("41.30")
    assert allocation.settlement.method == SettlementMethod.ONLINE
    paid_tab = text(client.get(reverse("portal:invoices"), {"onglet": "payees"}))
    assert "2026-RS-000001" in paid_tab
    detail = text(client.get(reverse("portal:invoice_detail", args=[invoice.pk])))
    assert "Payer en ligne" not in detail and "paiement en ligne" in detail
    again = client.post(reverse("portal:invoice_pay", args=[invoice.pk]))
    assert again.status_code == 302 and Payment.objects.count() == 1


def test_another_households_payment_is_404(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    from ..conftest import make_family

    fill_wednesdays(setup)
    valider(setup)
    payment = Payment.objects.get()
    other = make_family(setup.family.household.municipality, email="autre@example.org")
    url = reverse("portal:payment_status", args=[payment.reference])
    assert other.client.get(url).status_code == 404


def test_a_notification_may_come_as_a_get(setup: Setup, provider, client) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    valider(setup)
    payment = Payment.objects.get()
    url = reverse("payments:notify", args=[provider.pk]) + "?" + notification(payment, ok="1")
    assert client.get(url).status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
