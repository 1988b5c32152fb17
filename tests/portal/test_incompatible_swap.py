"""Incompatible products (REPAS, REPAS VEGETARIEN, PAI: one a day): a rival only in the cart is
swapped by a click, a rival already booked is explained before the click."""

from __future__ import annotations

import pytest

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import CartAction
from espacefamille.core.tenancy import municipality_scope
from espacefamille.payments.cancellations import cart_validate

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import FRI_13, THU_12, Setup
from .booking_helpers import AGENDA, HTMX, cart_lines, click, page_text, params

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup


def _toggle(s: Setup, product: str, day=THU_12, child=None):  # type: ignore[no-untyped-def]
    with municipality_scope(s.paul.municipality):
        return cart_toggle(
            household=s.family.household, child=child or s.paul, product=s.p(product), day=day
        )


def _cell(html: str, s: Setup, product: str, day=THU_12) -> str:  # type: ignore[no-untyped-def]
    start = html.index(f'id="cell-{s.p(product).pk}-{day:%Y%m%d}"')
    return html[start : html.index("</td>", start)]


def test_a_rival_only_in_the_cart_is_swapped(setup: Setup) -> None:
    assert _toggle(setup, "REPAS").action == "added"
    result = _toggle(setup, "REPAS VEGETARIEN")
    assert result.action == "swapped" and result.replaced == setup.p("REPAS")
    assert cart_lines(setup) == [("Paul", "REPAS VEGETARIEN", THU_12, CartAction.ADD)]


def test_the_swap_concerns_only_that_child_and_day(setup: Setup) -> None:
    _toggle(setup, "REPAS")
    _toggle(setup, "REPAS", day=FRI_13)
    _toggle(setup, "REPAS", child=setup.julie)
    assert _toggle(setup, "PAI").action == "swapped"
    assert sorted(cart_lines(setup)) == [
        ("Julie", "REPAS", THU_12, CartAction.ADD),
        ("Paul", "PAI", THU_12, CartAction.ADD),
        ("Paul", "REPAS", FRI_13, CartAction.ADD),
    ]


def test_a_booked_rival_still_refuses_and_nothing_changes(setup: Setup) -> None:
    _toggle(setup, "REPAS")
    with municipality_scope(setup.paul.municipality):
        assert cart_validate(household=setup.family.household, user=setup.family.user).ok
    result = _toggle(setup, "REPAS VEGETARIEN")
    assert result.action == "refused" and result.replaced is None
    assert cart_lines(setup) == []


def test_the_week_view_says_which_line_a_click_would_replace(setup: Setup) -> None:
    click(setup, "REPAS", THU_12)
    html = page_text(setup.family.client.get(AGENDA, params(setup)))
    cell = _cell(html, setup, "REPAS VEGETARIEN")
    assert "cell-swap" in cell and "Réservable à la place de REPAS" in cell
    assert "Prestation réservable" not in cell
    assert "un clic remplace REPAS par REPAS VEGETARIEN" in cell  # in its <details>
    # Another day keeps its ordinary state.
    assert "Prestation réservable" in _cell(html, setup, "REPAS VEGETARIEN", FRI_13)


def test_the_week_view_explains_a_booked_rival_before_the_click(setup: Setup) -> None:
    _toggle(setup, "REPAS")
    with municipality_scope(setup.paul.municipality):
        assert cart_validate(household=setup.family.household, user=setup.family.user).ok
    html = page_text(setup.family.client.get(AGENDA, params(setup)))
    cell = _cell(html, setup, "REPAS VEGETARIEN")
    assert "cell-not_bookable" in cell and "<button" not in cell
    assert "<summary>incompatible" in cell
    assert "Incompatible avec REPAS, déjà réservé ce jour-là." in cell


def test_the_click_swaps_both_cells_and_says_so(setup: Setup) -> None:
    click(setup, "REPAS", THU_12)
    html = page_text(click(setup, "REPAS VEGETARIEN", THU_12, **HTMX))
    status = html[html.index('id="agenda-status"') :]
    assert "REPAS VEGETARIEN remplace REPAS dans le panier" in status
    assert "message-success" in status
    assert "cell-cart_add" in _cell(html, setup, "REPAS VEGETARIEN")
    assert "Réservable à la place de REPAS VEGETARIEN" in _cell(html, setup, "REPAS")
    assert "Réservable à la place de REPAS VEGETARIEN" in _cell(html, setup, "PAI")
    assert "1 REPAS VEGETARIEN" in html and "1 REPAS<" not in html
    # Without JavaScript: the same message after the redirect.
    response = click(setup, "REPAS", THU_12)
    assert response.status_code == 302
    page = page_text(setup.family.client.get(response["Location"]))
    assert "REPAS remplace REPAS VEGETARIEN dans le panier" in page
    assert cart_lines(setup) == [("Paul", "REPAS", THU_12, CartAction.ADD)]


def test_a_booked_rival_being_cancelled_in_the_cart_no_longer_blocks(setup: Setup) -> None:
    _toggle(setup, "REPAS")
    with municipality_scope(setup.paul.municipality):
        assert cart_validate(household=setup.family.household, user=setup.family.user).ok
    assert _toggle(setup, "REPAS").action == "cancel_added"
    html = page_text(setup.family.client.get(AGENDA, params(setup)))
    cell = _cell(html, setup, "REPAS VEGETARIEN")
    assert "cell-bookable" in cell and "Prestation réservable" in cell  # as the click agrees
    assert _toggle(setup, "REPAS VEGETARIEN").action == "added"
