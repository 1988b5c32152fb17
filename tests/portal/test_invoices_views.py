""" "Mes factures": the two tabs, the detail page and the PDF; drafts stay hidden; another
household's invoice answers 404."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from espacefamille.billing.models import Invoice
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.billing.settlements import settlement_record
from espacefamille.catalog.deadlines import PARIS

from ..billing.conftest import OCTOBER, Billing, billing, make_other_family  # noqa: F401


@pytest.fixture
def invoice(billing: Billing) -> Invoice:  # noqa: F811
    billing.book(billing.paul, "REPAS", 1, 2)
    run = invoice_run_finalize(run=invoice_run_draft(service=billing.restaurant, month=OCTOBER))
    return Invoice.objects.get(run=run)


def test_menu_and_open_invoices(billing: Billing, invoice: Invoice) -> None:  # noqa: F811
    page = billing.family.client.get(reverse("portal:invoices")).content.decode()
    assert 'href="/factures/"' in page and "Mes factures" in page
    assert "Factures en cours" in page and "Factures payées" in page
    assert invoice.number in page and "7,00" in page
    paid_tab = billing.family.client.get(reverse("portal:invoices") + "?onglet=payees")
    assert invoice.number not in paid_tab.content.decode()


def test_partial_then_full_payment_moves_the_invoice(billing: Billing, invoice: Invoice) -> None:  # noqa: F811
    client = billing.family.client
    settlement_record(
        household=billing.family.household,
        service=billing.restaurant,
        method="cash",
        amount=Decimal("2.00"),
        invoices=[invoice],
        received_at=datetime(2026, 11, 20, 9, 0, tzinfo=PARIS),
    )
    page = client.get(reverse("portal:invoices")).content.decode()
    assert "reste à payer : 5,00" in page.replace("\u202f", " ").replace("\xa0", " ")
    settlement_record(
        household=billing.family.household,
        service=billing.restaurant,
        method="cheque",
        amount=Decimal("5.00"),
        invoices=[invoice],
        received_at=datetime(2026, 11, 28, 10, 8, 14, tzinfo=PARIS),
    )
    paid = client.get(reverse("portal:invoices") + "?onglet=payees").content.decode()
    assert invoice.number in paid
    assert "payée le 28/11/2026 à 10:08:14" in paid


def test_detail_lists_every_line(billing: Billing, invoice: Invoice) -> None:  # noqa: F811
    page = billing.family.client.get(reverse("portal:invoice_detail", args=[invoice.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("<td>REPAS<br>") == 2
    assert "01/10/2026" in text and "02/10/2026" in text
    assert "Paul DUPONT" in text


def test_pdf_download(billing: Billing, invoice: Invoice) -> None:  # noqa: F811
    response = billing.family.client.get(reverse("portal:invoice_pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert invoice.number in text and "7,00" in text


def test_drafts_and_other_households_answer_404(billing: Billing, invoice: Invoice) -> None:  # noqa: F811
    other, zoe = make_other_family(billing)
    billing.book(zoe, "REPAS", 1, month=11)
    draft = invoice_run_draft(service=billing.restaurant, month=OCTOBER.replace(month=11))
    mine = Invoice.objects.get(run=draft)
    for name in ("portal:invoice_detail", "portal:invoice_pdf"):
        assert other.client.get(reverse(name, args=[invoice.pk])).status_code == 404
        assert other.client.get(reverse(name, args=[mine.pk])).status_code == 404  # a draft
        assert other.client.get(reverse(name, args=[999999])).status_code == 404
    assert invoice.number not in other.client.get(reverse("portal:invoices")).content.decode()


def test_anonymous_is_sent_to_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("portal:invoices"))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_open_invoices_show_the_due_date_and_the_total_due(
    billing: Billing,  # noqa: F811
    invoice: Invoice,
) -> None:
    page = billing.family.client.get(reverse("portal:invoices")).content.decode()
    page = page.replace("\u202f", " ").replace("\xa0", " ")
    assert invoice.due_on is not None
    assert f"À régler avant le {invoice.due_on:%d/%m/%Y}" in page
    assert "Total à payer : 7,00 €" in page
