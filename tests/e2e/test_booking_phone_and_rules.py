""" "Mes réservations" as the parent of issue 10 tried it: on a 320 px phone the cart's summary
and "Valider" stay on screen; an incompatible product swaps the cart line and says so; the
validation e-mail links to the portal that sent it; "Règlement et tarifs" per service."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from espacefamille.bookings.models import Booking, BookingStatus, CartLine
from espacefamille.catalog.models import Product
from espacefamille.core.tenancy import municipality_scope

from .conftest import Inbox
from .test_bookings import (
    Login,
    _cell_button,
    _child,
    _meal,
    _town,
    _validation_email,
    _week_with_bookable_days,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}


def _in_viewport(page: Page, selector: str) -> bool:
    return bool(
        page.locator(selector).evaluate(
            "el => { const r = el.getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"
        )
    )


def _select_text_fits(page: Page, selector: str) -> bool:
    """The selected option's text is no wider than the select's room for it."""
    return bool(
        page.locator(selector).evaluate(
            """el => {
              const style = getComputedStyle(el);
              const canvas = document.createElement("canvas").getContext("2d");
              canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
              const text = el.options[el.selectedIndex].text;
              const room = el.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight) - 20;  // the arrow
              return canvas.measureText(text).width <= room;
            }"""
        )
    )


def test_phone_cart_summary_and_valider_stay_on_screen(page: Page, login: Login) -> None:
    paul, meal = _child("Paul"), _meal()
    days = _week_with_bookable_days(paul, meal, 2)
    page.set_viewport_size(PHONE)
    login(page)
    page.goto(f"/reservations/?enfant={paul.pk}&semaine={days[0].isoformat()}&semaines=2")
    assert _select_text_fits(page, "#id_service")
    expect(page.locator("#panier-resume")).to_be_hidden()  # empty cart: no bar
    for day in days:
        # (on a phone the cell's parts are laid out as blocks, which spaces its name out)
        button = page.locator(f"#btn-{meal.pk}-{day:%Y%m%d}")
        expect(button).to_contain_text("Prestation réservable")
        button.click()
        expect(button).to_contain_text("Demande de réservation")
    bar = page.locator("#panier-resume")
    expect(bar).to_contain_text("2 REPAS")
    # On screen while the cart panel is still far below, after the two weeks and the legend.
    assert _in_viewport(page, "#panier-resume")
    assert not _in_viewport(page, "#panier")
    valider = bar.get_by_role("button", name="Valider")
    assert _in_viewport(page, "#panier-resume button")
    # Nothing stays hidden under the bar: the end of the page scrolls clear of it.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    gap = page.evaluate(
        "() => document.querySelector('#panier-resume').getBoundingClientRect().top"
        " - document.querySelector('.site-footer').getBoundingClientRect().bottom"
    )
    assert gap >= 0, gap
    valider.click()
    expect(page.locator(".messages")).to_contain_text("Réservations et annulations validées")
    expect(page.locator("#panier-resume")).to_be_hidden()
    for day in days:
        expect(page.locator(f"#btn-{meal.pk}-{day:%Y%m%d}")).to_contain_text("Réservation validée")
    with municipality_scope(_town()):
        validated = Booking.objects.filter(child=paul, status=BookingStatus.VALIDATED)
        assert sorted(validated.filter(date__in=days).values_list("date", flat=True)) == days


def test_swap_incompatible_products_with_a_live_message(page: Page, login: Login) -> None:
    paul, meal = _child("Paul"), _meal()
    (day,) = _week_with_bookable_days(paul, meal, 1)
    login(page)
    page.goto(f"/reservations/?enfant={paul.pk}&semaine={day.isoformat()}")
    _cell_button(page, "REPAS", day, "Prestation réservable").click()
    expect(page.locator("#panier")).to_contain_text("1 REPAS")
    # Before the click, the vegetarian meal says what it would do.
    swap = _cell_button(page, "REPAS VEGETARIEN", day, "Réservable à la place de REPAS")
    expect(swap).to_be_visible()
    swap.click()
    status = page.locator("#agenda-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("REPAS VEGETARIEN remplace REPAS dans le panier")
    expect(_cell_button(page, "REPAS VEGETARIEN", day, "Demande de réservation")).to_be_visible()
    expect(
        _cell_button(page, "REPAS", day, "Réservable à la place de REPAS VEGETARIEN")
    ).to_be_visible()
    cart = page.locator("#panier")
    expect(cart).to_contain_text("1 REPAS VEGETARIEN")
    expect(cart).not_to_contain_text(re.compile(r"1 REPAS\s*$", re.M))
    with municipality_scope(_town()):
        vegetarian = Product.objects.get(name="REPAS VEGETARIEN")
        assert list(CartLine.objects.values_list("product_id", flat=True)) == [vegetarian.pk]


def test_validation_email_links_to_the_portal_that_sent_it(
    page: Page, smtp: Inbox, login: Login, live_server: Any, settings: Any
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8000"  # what `make demo PORT=…` used to keep
    paul, meal = _child("Paul"), _meal()
    (day,) = _week_with_bookable_days(paul, meal, 1)
    login(page)
    page.goto(f"/reservations/?enfant={paul.pk}&semaine={day.isoformat()}")
    _cell_button(page, "REPAS", day, "Prestation réservable").click()
    page.locator("#panier").get_by_role("button", name="Valider").click()
    expect(page.locator(".messages")).to_contain_text("Réservations et annulations validées")
    body = _validation_email(smtp, "Vos réservations")
    assert f"{live_server.url}/reservations/" in body, body
    page.goto(re.search(r"http://\S+/reservations/", body).group(0))  # type: ignore[union-attr]
    expect(page.get_by_role("heading", name="Mes réservations")).to_be_visible()


def test_reglement_et_tarifs_from_mes_reservations(
    page: Page, login: Login, assert_accessible: Callable[[Page], None]
) -> None:
    login(page)
    page.goto("/reservations/")
    page.get_by_role("link", name="Règlement et tarifs", exact=True).click()
    expect(
        page.get_by_role("heading", name=re.compile("Règlement et tarifs — Restaurant"))
    ).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Règlement et tarifs"))
    repas = table.get_by_role("row", name=re.compile(r"^REPAS Jusqu"))
    expect(repas.get_by_role("cell").nth(0)).to_have_text(
        re.compile("Jusqu'à 2 jours avant, 10h00")
    )
    expect(repas).to_contain_text("3,50\u00a0€")
    expect(repas).to_contain_text("5,00\u00a0€")
    expect(table.get_by_role("columnheader", name="Nbre Max de place")).to_be_visible()
    expect(page.locator(".rules-text")).to_contain_text("tarif « non prévu »")
    assert_accessible(page)  # 1280 px, then 320 px
    page.get_by_role("link", name="Accueil du mercredi").click()
    expect(table).to_contain_text("12,00\u00a0€")
    page.set_viewport_size(PHONE)
    row = page.get_by_role("row", name=re.compile("MERCREDI JOURNEE"))
    expect(row).to_contain_text("Nbre Max de place")  # each value keeps its column's name
    assert_accessible(page)
