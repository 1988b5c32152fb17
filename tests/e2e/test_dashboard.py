""" "Tableau de bord" in Chromium: the régie opens it from the menu, reads each chart's figures
in its data table (keyboard: the "Tableau des données" disclosure), axe-clean at 1280 and 768 px;
a facilitator has no such link."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .agents import check_backoffice_page, menu, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_regie_reads_the_dashboard_and_its_tables(agent_page: Page) -> None:
    page = agent_page
    sign_in(page, role="regie")
    menu(page, "Tableau de bord")
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    for heading in (
        "Réservations par prestation",
        "Réservations par jour",
        "Facturé et encaissé par mois",
    ):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Facturé et encaissé par mois")).to_be_visible()
    revenue = page.get_by_role("region", name="Facturé et encaissé par mois")
    table = revenue.get_by_role("table")
    expect(table).to_be_hidden()
    summary = revenue.get_by_text("Tableau des données")
    summary.focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Encaissé")).to_be_visible()
    expect(table).to_contain_text("€")
    check_backoffice_page(page)


def test_a_facilitator_has_no_dashboard(agent_page: Page) -> None:
    sign_in(agent_page, role="facilitator")
    nav = agent_page.get_by_role("navigation", name="Menu des agents")
    expect(nav.get_by_role("link", name="Accueil")).to_be_visible()
    expect(nav.get_by_role("link", name="Tableau de bord")).to_have_count(0)
    response = agent_page.goto("/agents/tableau-de-bord/")
    assert response is not None and response.status == 403
