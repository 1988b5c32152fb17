""" "Accueil du mercredi" is paid at booking (seeds 001, 003): in Chromium the parent books
2 MERCREDI JOURNEE for each of two children, reads "Total à payer", pays on the demo bank
page ("Mode démonstration — aucun paiement réel") and comes back to "Réservation validée"
cells, the paid invoice under "Factures payées" and the receipt e-mail; a refused payment
books nothing and leaves the cart as it was; last month's invoice is paid online. axe finds
nothing on the payment pages and the bank page, at 1280 and at 320 px. An abandoned payment
frees its places when the hold expires."""

from __future__ import annotations

from datetime import date, timedelta
from email.header import decode_header, make_header
from itertools import islice
from typing import Any

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from playwright.sync_api import Page, expect

from espacefamille.billing.models import Invoice
from espacefamille.bookings.models import Booking, BookingStatus, CartLine, PlaceHold, ProductDay
from espacefamille.catalog.models import Product
from espacefamille.core.dates import monday_of
from espacefamille.core.models import Municipality
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child
from espacefamille.payments.models import Payment, PaymentState

from .conftest import Inbox, text_of
from .demo_calendar import open_days_ahead

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRODUCT = "MERCREDI JOURNEE"


@pytest.fixture(autouse=True)
def demo_bank(settings: Any) -> None:
    settings.DEMO_BANK = True  # the live server runs with DEBUG off


def _town() -> Municipality:
    return Municipality.objects.get(slug="demo")


def _children() -> list[Child]:
    with municipality_scope(_town()):
        return [
            Child.objects.get(first_name=name, household__name="DUPONT")
            for name in ("Paul", "Julie")
        ]


def _product() -> Product:
    with municipality_scope(_town()):
        return Product.objects.select_related("service").get(name=PRODUCT)


def _two_wednesdays() -> list[date]:
    """The first two Wednesdays ahead that the demo's rules leave bookable, worked out from the
    README's description of the demo (``demo_calendar``), not from the rules under test."""
    return list(islice(open_days_ahead(PRODUCT), 2))


def _long(day: date) -> str:
    with translation.override("fr"):
        return date_format(day, "l d F Y")


def _cell(page: Page, day: date, label: str) -> Any:
    return page.get_by_role("button", name=f"{PRODUCT}, {_long(day)} : {label}", exact=True)


def _week_view(page: Page, product: Product, child: Child, days: list[date]) -> None:
    """The child's agenda from the week of the first of ``days`` to the week of the last."""
    first, last = monday_of(days[0]), monday_of(days[-1])
    weeks = (last - first).days // 7 + 1
    page.goto(
        f"/reservations/?service={product.service_id}&enfant={child.pk}"
        f"&semaine={first:%Y-%m-%d}&semaines={weeks}"
    )


def _fill_cart(page: Page, product: Product, children: list[Child], days: list[date]) -> None:
    for child in children:
        _week_view(page, product, child, days)
        for day in days:
            _cell(page, day, "Prestation réservable").click()
            expect(_cell(page, day, "Demande de réservation")).to_be_visible()


def test_pay_a_prepaid_cart_on_the_demo_bank(
    page: Page, smtp: Inbox, login: Any, assert_accessible: Any
) -> None:
    children, product = _children(), _product()
    days = _two_wednesdays()
    login(page)
    _fill_cart(page, product, children, days)
    cart = page.locator("#panier")
    expect(cart).to_contain_text("Total à payer :")
    expect(cart).to_contain_text(format_euros(product.unit_price * 4))
    cart.get_by_role("button", name="Valider").click()

    expect(page.get_by_text("Mode démonstration — aucun paiement réel")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Payer", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Paiement accepté")
    expect(page.get_by_text("Une copie de ce ticket vous est envoyée par mail.")).to_be_visible()
    assert_accessible(page)
    with municipality_scope(_town()):
        payment = Payment.objects.get()
        assert payment.state == PaymentState.PAID and payment.invoice is not None
        number = payment.invoice.number
        assert Booking.objects.filter(product=product, status=BookingStatus.VALIDATED).count() == 4

    page.get_by_role("link", name="Retour à mes réservations").click()
    for child in children:
        _week_view(page, product, child, days)
        for day in days:
            expect(_cell(page, day, "Réservation validée")).to_be_visible()
    expect(page.locator("#panier")).to_contain_text("Aucune nouvelle réservation ou annulation")

    page.goto("/factures/?onglet=payees")
    entry = page.get_by_role("listitem").filter(has_text=number)
    expect(entry).to_contain_text("payée le")
    expect(entry).to_contain_text(format_euros(product.unit_price * 4))

    def is_receipt(message: Any) -> bool:
        return payment.reference in str(make_header(decode_header(message["Subject"])))

    body = text_of(smtp.wait_for(is_receipt))
    assert number in body and "Paul" in body and "Julie" in body


def test_a_refused_payment_books_nothing_and_keeps_the_cart(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    children, product = _children(), _product()
    days = _two_wednesdays()
    login(page)
    _fill_cart(page, product, children[:1], days)
    page.locator("#panier").get_by_role("button", name="Valider").click()
    page.get_by_role("button", name="Refuser", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Paiement refusé")
    expect(page.get_by_role("alert")).to_contain_text("votre panier est intact")
    assert_accessible(page)
    with municipality_scope(_town()):
        assert not Booking.objects.filter(product=product).exists()
        assert CartLine.objects.filter(product=product).count() == 2
    page.get_by_role("link", name="Retour à mes réservations").click()
    _week_view(page, product, children[0], days)
    for day in days:
        expect(_cell(page, day, "Demande de réservation")).to_be_visible()


def test_pay_last_months_invoice_online(page: Page, login: Any, assert_accessible: Any) -> None:
    with municipality_scope(_town()):
        invoice = (
            Invoice.objects.filter(
                household__external_ref="DEMO-001", service__name="Restaurant scolaire"
            )
            .order_by("-period_start")
            .first()
        )
        assert invoice is not None
        number, total = invoice.number, format_euros(invoice.total)
    login(page)
    page.goto("/factures/")
    page.get_by_role("listitem").filter(has_text=number).get_by_role("link").click()
    page.get_by_role("button", name="Payer en ligne").click()
    expect(page.get_by_text("Mode démonstration — aucun paiement réel")).to_be_visible()
    expect(page.locator("main")).to_contain_text(total)
    page.get_by_role("button", name="Payer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Paiement accepté")
    page.get_by_role("link", name="Retour à mes factures").click()
    page.get_by_role("link", name="Factures payées").click()
    expect(page.get_by_role("listitem").filter(has_text=number)).to_contain_text("payée le")
    assert_accessible(page)


def test_an_abandoned_payment_frees_the_places_when_the_hold_expires(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    children, product = _children(), _product()
    days = _two_wednesdays()
    login(page)
    _fill_cart(page, product, children[:1], days)
    page.locator("#panier").get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Mode démonstration — aucun paiement réel")).to_be_visible()
    _week_view(page, product, children[0], days)
    held = page.locator(f"#cell-{product.pk}-{days[0]:%Y%m%d}")
    expect(held).to_contain_text("paiement en cours")
    with municipality_scope(_town()):
        payment = Payment.objects.get()
        assert ProductDay.objects.get(product=product, date=days[0]).taken >= 1
    with time_machine.travel(timezone.now() + timedelta(minutes=21)):
        page.goto(f"/reservations/paiement/{payment.reference}/")
        expect(page.get_by_role("alert")).to_contain_text("Le délai de paiement est dépassé")
        assert_accessible(page)
        with municipality_scope(_town()):
            assert not PlaceHold.objects.filter(reference=payment.reference).exists()
            assert not Booking.objects.filter(product=product).exists()
            assert CartLine.objects.filter(product=product).count() == 2
        _week_view(page, product, children[0], days)
        expect(held).not_to_contain_text("paiement en cours")
        expect(_cell(page, days[0], "Demande de réservation")).to_be_visible()
