"""Issue 21: two canteen invoices paid at once. In Chromium the parent ticks the two canteen
invoices (the daycare one, taken by direct debit, has nothing to tick), reads their total before
paying, pays it once on the demo bank page (eopayment's dummy backend) and finds both invoices
under "Factures payées" while the daycare one stays under "Factures en cours".
axe finds nothing on the list, the total and the payment's page, at 1280 and at 320 px."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from espacefamille.billing.models import Invoice, InvoiceStatus
from espacefamille.core.models import Municipality
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope
from espacefamille.payments.models import Payment, PaymentKind, PaymentState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CANTEEN = "Restaurant scolaire"
EXTRA_NUMBER = "2026-RS-900001"


@pytest.fixture(autouse=True)
def demo_bank(settings: Any) -> None:
    settings.DEMO_BANK = True  # the live server runs with DEBUG off


def _open_invoices() -> tuple[Invoice, Invoice, Invoice]:
    """The demo family's unpaid canteen and daycare invoices of last month, and one more
    canteen invoice (an earlier period, unpaid)."""
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        unpaid = Invoice.objects.filter(
            household__external_ref="DEMO-001", status=InvoiceStatus.FINAL, allocations=None
        ).select_related("service", "household")
        canteen = unpaid.get(service__name=CANTEEN)
        daycare = unpaid.exclude(service__name=CANTEEN).get()
        extra = Invoice.objects.create(
            municipality=town,
            service=canteen.service,
            household=canteen.household,
            recipient_name=canteen.recipient_name,
            period_start=date(2026, 6, 1),
            period_end=date(2026, 6, 30),
            status=InvoiceStatus.FINAL,
            number=EXTRA_NUMBER,
            issued_on=date(2026, 7, 1),
            due_on=date(2026, 7, 31),
            total=Decimal("18.60"),
        )
    return canteen, daycare, extra


def _tick(page: Page, number: str) -> None:
    page.get_by_role("checkbox", name=re.compile(f"Choisir la facture {number}")).check()


def test_pay_two_canteen_invoices_at_once(page: Page, login: Any, assert_accessible: Any) -> None:
    canteen, daycare, extra = _open_invoices()
    total = format_euros(canteen.total + extra.total)
    login(page)
    page.goto("/factures/")
    assert_accessible(page)

    # The daycare invoice is taken by direct debit: nothing to tick.
    daycare_row = page.get_by_role("listitem").filter(has_text=daycare.number)
    expect(daycare_row.get_by_role("checkbox")).to_have_count(0)
    _tick(page, canteen.number)
    _tick(page, extra.number)
    page.get_by_role("button", name="Payer la sélection").click()
    expect(page.get_by_role("heading", name="Payer plusieurs factures")).to_be_visible()
    expect(page.locator("#total-selection")).to_contain_text(total)
    expect(page.locator("main")).to_contain_text(canteen.number)
    expect(page.locator("main")).to_contain_text(extra.number)
    assert_accessible(page)
    page.get_by_role("button", name=f"Payer {total}").click()

    expect(page.get_by_text("Mode démonstration — aucun paiement réel")).to_be_visible()
    expect(page.locator("main")).to_contain_text(total)
    page.get_by_role("button", name="Payer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("vos 2 factures sont réglées")
    assert_accessible(page)
    with municipality_scope(canteen.municipality):
        payment = Payment.objects.get()
        assert payment.kind == PaymentKind.INVOICES and payment.state == PaymentState.PAID

    page.get_by_role("link", name="Retour à mes factures").click()
    page.get_by_role("link", name="Factures payées").click()
    for number in (canteen.number, extra.number):
        expect(page.get_by_role("listitem").filter(has_text=number)).to_contain_text("payée le")
    page.get_by_role("link", name="Factures en cours").click()
    expect(page.get_by_role("listitem").filter(has_text=daycare.number)).to_be_visible()
