"""Exceptional closures and notification choices in Chromium: an agent declares a strike on a
day DUPONT's Paul has REPAS, reads the preview, confirms; the family sees "Annulée — fermeture
(grève)" in its week; the family chooses its notifications under "Gestion du foyer". Every
page passes the accessibility checks, at 320 px too."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from espacefamille.bookings.cart import cart_toggle
from espacefamille.core.tenancy import municipality_scope
from espacefamille.payments.cancellations import cart_validate

from .agents import check_backoffice_page, sign_in
from .test_bookings import _cell, _child, _meal, _open_week, _town, _week_with_bookable_days
from .test_household import open_household

pytestmark = pytest.mark.django_db(transaction=True)


def test_agent_closes_a_day_and_the_family_sees_it(
    page: Page, agent_page: Page, login: Any, assert_accessible: Any
) -> None:
    paul, meal = _child("Paul"), _meal()
    (day,) = _week_with_bookable_days(paul, meal, 1)
    with municipality_scope(_town()):
        cart_toggle(household=paul.household, child=paul, product=meal, day=day)
        assert cart_validate(household=paul.household, user=None).ok
    sign_in(agent_page)
    agent_page.goto("/agents/configuration/fermetures/")
    agent_page.get_by_role("link", name="Fermeture exceptionnelle (grève, intempéries…)").click()
    check_backoffice_page(agent_page)
    agent_page.get_by_label("Premier jour fermé (JJ/MM/AAAA)").fill(f"{day:%d/%m/%Y}")
    agent_page.get_by_label("grève").check()
    agent_page.get_by_label("REPAS", exact=True).check()
    agent_page.get_by_role("button", name="Voir ce que fera la fermeture").click()
    preview = agent_page.locator("#closure-preview")
    expect(preview).to_contain_text("réservation(s) de")
    check_backoffice_page(agent_page)
    agent_page.get_by_role("button", name="Confirmer la fermeture").click()
    expect(agent_page.get_by_text("Fermeture enregistrée")).to_be_visible()
    expect(agent_page.get_by_role("button", name="Lever la fermeture")).to_be_visible()
    check_backoffice_page(agent_page)

    login(page)
    page.goto("/reservations/")
    _open_week(page, paul, day)
    expect(_cell(page, meal, day)).to_contain_text("Annulée — fermeture (grève)")
    assert_accessible(page)


def test_family_chooses_its_notifications(page: Page, login: Any, assert_accessible: Any) -> None:
    login(page)
    open_household(page, "Notifications")
    expect(page.get_by_role("heading", name="Notifications", level=2)).to_be_visible()
    assert_accessible(page)
    closures = page.get_by_role("group", name="Fermetures et messages de la commune")
    expect(closures.get_by_label("SMS")).to_be_checked()
    closures.get_by_label("SMS").uncheck()
    page.get_by_role("group", name="Rappels").get_by_label("E-mail").check()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_text("Vos choix de notifications sont enregistrés.")).to_be_visible()
    closures = page.get_by_role("group", name="Fermetures et messages de la commune")
    expect(closures.get_by_label("SMS")).not_to_be_checked()
    assert_accessible(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Actualités"
    ).click()
    page.get_by_role("link", name="Messages de la commune").click()
    expect(page.get_by_role("heading", name="Messages de la commune", level=1)).to_be_visible()
    assert_accessible(page)
