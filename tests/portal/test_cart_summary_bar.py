"""The cart's summary bar ("2 REPAS — Valider") and the cart panel's dates: rendered with the
page (no JavaScript needed), sent again out of band after each htmx click."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from espacefamille.catalog.deadlines import PARIS

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import FRI_13, THU_12, Setup
from .booking_helpers import AGENDA, HTMX, TOGGLE, click, page_text, params

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup


def _bar(html: str) -> str:
    start = html.index('id="panier-resume"')
    return html[start : html.index("</section>", start)]


def test_the_bar_is_hidden_while_the_cart_is_empty(setup: Setup) -> None:
    html = page_text(setup.family.client.get(AGENDA, params(setup)))
    assert 'aria-labelledby="panier-resume-titre" hidden' in html


def test_the_bar_counts_lines_per_product_and_validates(setup: Setup) -> None:
    click(setup, "REPAS", THU_12)
    click(setup, "REPAS", FRI_13)
    click(setup, "PAI", THU_12, child=setup.julie)
    html = page_text(setup.family.client.get(AGENDA, params(setup)))
    bar = _bar(html)
    assert " hidden" not in bar.split(">", 1)[0]
    assert "2 REPAS, 1 PAI" in bar
    assert 'action="/reservations/panier/valider/"' in bar and ">Valider</button>" in bar
    assert 'href="#panier"' in bar
    # Before the legend and the cart panel: the keyboard reaches it right after the week.
    assert html.index('id="panier-resume"') < html.index('id="legende-titre"')
    assert html.index('id="panier-resume"') < html.index('id="panier"')


def test_the_bar_follows_each_htmx_click(setup: Setup) -> None:
    html = page_text(click(setup, "REPAS", THU_12, **HTMX))
    bar = _bar(html)
    assert 'hx-swap-oob="true"' in bar and "1 REPAS" in bar
    html = page_text(click(setup, "REPAS", THU_12, **HTMX))
    assert 'aria-labelledby="panier-resume-titre" hidden' in html


def test_the_service_options_are_not_cut_on_a_phone(setup: Setup) -> None:
    """The billing mode moved to the option's group and to a line under the select, so the
    option itself is short enough for a 320 px screen."""
    html = page_text(setup.family.client.get(AGENDA, params(setup)))
    select = html[html.index('<select id="id_service"') : html.index("</select>")]
    assert '<optgroup label="Postfacturation">' in select
    assert '<optgroup label="Prépaiement">' in select
    assert ">Restaurant scolaire</option>" in select
    assert "Service affiché : Restaurant scolaire - postfacturation" in html


def test_cart_dates_show_the_year_outside_the_current_one(setup: Setup) -> None:
    click(setup, "REPAS", THU_12)
    html = page_text(setup.family.client.get(AGENDA, params(setup)))
    assert "jeu. 12 nov.<" in html  # all in this year: no year needed
    january = date(2027, 1, 5)  # a Tuesday after the Christmas holidays
    week = params(setup, semaine=january.isoformat())
    setup.family.client.post(TOGGLE, {**week, "cellule": f"{setup.p('REPAS').pk}:{january}"})
    html = page_text(setup.family.client.get(AGENDA, week))
    assert "jeu. 12 nov. 2026" in html and "mar. 05 jan. 2027" in html
    # In 2027, the November day is the one that needs its year.
    with time_machine.travel(datetime(2027, 1, 2, 9, 0, tzinfo=PARIS), tick=False):
        setup.family.client.force_login(setup.family.user)  # the session has expired by then
        html = page_text(setup.family.client.get(AGENDA, week))
    assert "jeu. 12 nov. 2026" in html and "mar. 05 jan. 2027" in html
