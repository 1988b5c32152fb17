""" "Gestion du foyer" → "Prélèvement" in Chromium: François signs a SEPA mandate for the
Restaurant scolaire (the mandate text shown, a bad IBAN refused in French), the IBAN shown
masked, and the invoice then announces its debit instead of "Payer en ligne"; axe-clean, and
at 320 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .test_household import open_household

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_a_mandate_online(page: Page, login: Any, assert_accessible: Any) -> None:
    login(page)
    open_household(page, "Prélèvement")
    garderie = page.get_by_role("region", name="Garderie")
    expect(garderie).to_contain_text("FR76 •••• •••• 0189")  # the demo's mandate, masked
    assert_accessible(page)
    page.get_by_role("link", name="Signer un mandat de prélèvement — Restaurant scolaire").click()
    expect(page.get_by_role("region", name="Texte du mandat")).to_contain_text(
        "vous autorisez Commune de Démo"
    )
    page.get_by_label("Titulaire du compte").fill("François DUPONT")
    page.get_by_label("IBAN", exact=True).fill("FR76 3000 6000 0112 3456 7890 188")
    page.get_by_label("J'ai lu le texte du mandat").check()
    page.get_by_role("button", name="Signer le mandat").click()
    expect(page.get_by_text("Cet IBAN n'est pas valide")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("IBAN", exact=True).fill("FR76 3000 6000 0112 3456 7890 189")
    page.get_by_label("J'ai lu le texte du mandat").check()
    page.get_by_role("button", name="Signer le mandat").click()
    expect(page.get_by_role("status")).to_contain_text("Votre mandat est signé")
    restaurant = page.get_by_role("region", name="Restaurant scolaire")
    expect(restaurant).to_contain_text("FR76 •••• •••• 0189")
    expect(restaurant.get_by_role("button", name="Arrêter le prélèvement")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes factures"
    ).click()
    expect(page.get_by_text("Prélèvement le").first).to_be_visible()
    expect(page.get_by_role("button", name="Payer en ligne")).to_have_count(0)
