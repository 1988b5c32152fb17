""" "Mes factures" in Chromium (seed 003): the parent opens last month's invoice from "Factures
en cours", reads its detail, downloads its PDF, and finds the older invoice under "Factures
payées" — every page without an axe violation and usable at 320 px."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from espacefamille.billing.models import Invoice
from espacefamille.core.models import Municipality
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope

pytestmark = pytest.mark.django_db(transaction=True)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_open_last_months_invoice_detail_and_pdf(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    with municipality_scope(Municipality.objects.get(slug="demo")):
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
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes factures"
    ).click()
    expect(page.get_by_role("heading", name="Factures en cours")).to_be_visible()
    entry = page.get_by_role("listitem").filter(has_text=number)
    expect(entry).to_contain_text("Facture du")
    expect(entry).to_contain_text("pour M. DUPONT François")
    expect(entry).to_contain_text(total)
    assert_accessible(page)

    entry.get_by_role("link", name=re.compile("^Détail")).click()
    expect(page.get_by_role("heading", name=f"Facture {number}", level=1)).to_be_visible()
    table = page.get_by_role("table", name=f"Lignes de la facture {number}")
    expect(table.get_by_role("row").filter(has_text="absence injustifiée")).to_have_count(1)
    expect(table.get_by_role("row").filter(has_text="jour de carence")).to_have_count(1)
    expect(table.get_by_role("row").last).to_contain_text(total)
    assert_accessible(page)

    href = page.get_by_role("link", name="Télécharger la facture (PDF)").get_attribute("href")
    assert href
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.body()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert number in text
    assert plain(total) in plain(text)

    page.get_by_role("link", name="← Retour à mes factures").click()
    page.get_by_role("link", name="Factures payées").click()
    expect(page.get_by_role("heading", name="Factures payées")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="payée le")).to_have_count(1)
    assert_accessible(page)
