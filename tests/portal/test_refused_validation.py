""" "Valider" refused: nothing is written, the browser is sent back (303) to the week view that
lists each refused line with its reason; htmx gets the cart panel only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from espacefamille.bookings.models import Booking, CartLine
from espacefamille.catalog.models import Closure
from espacefamille.core.tenancy import municipality_scope

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import FRI_13, THU_12, Setup
from .booking_helpers import AGENDA, HTMX, click, page_text, params

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup

VALIDATE = reverse("portal:cart_validate")


def _close_friday(s: Setup) -> None:
    click(s, "REPAS", THU_12)
    click(s, "REPAS", FRI_13)
    with municipality_scope(s.paul.municipality):
        Closure.objects.create(
            municipality=s.paul.municipality, start_date=FRI_13, end_date=FRI_13, reason="Grève"
        )


def test_a_refusal_redirects_to_the_week_with_each_reason(setup: Setup) -> None:
    _close_friday(setup)
    response = setup.family.client.post(VALIDATE, params(setup))
    assert response.status_code == 303
    assert response["Location"].startswith(f"{AGENDA}?service={setup.restaurant.pk}")
    assert "semaine=2026-11-09" in response["Location"]
    assert b"<table" not in response.content  # the week is not rendered by the POST
    html = page_text(setup.family.client.get(response["Location"]))
    assert "Le panier n'a pas été validé : rien n'a été enregistré." in html
    assert "Ces lignes du panier ne peuvent pas être validées" in html
    assert "Paul — REPAS — 13/11/2026 : Fermé : Grève" in html
    assert "Paul — REPAS — 12/11/2026" not in html  # the good line is not listed as refused
    with municipality_scope(setup.paul.municipality):
        assert not Booking.objects.exists()
        assert CartLine.objects.exclude(error="").count() == 1


def test_a_refusal_with_htmx_answers_with_the_cart_panel(setup: Setup) -> None:
    _close_friday(setup)
    response = setup.family.client.post(VALIDATE, params(setup), **HTMX)
    assert response.status_code == 200
    html = page_text(response)
    assert 'id="panier" class="cart"' in html and 'hx-swap-oob="true"' in html
    assert 'id="panier-resume"' in html
    assert "Le panier n'a pas été validé" in html and "Grève" in html
    assert "<table" not in html


def test_a_success_with_htmx_reloads_the_week(setup: Setup) -> None:
    click(setup, "REPAS", THU_12)
    response = setup.family.client.post(VALIDATE, params(setup), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(AGENDA)
    page = page_text(setup.family.client.get(response["HX-Redirect"]))
    assert "Réservations et annulations validées" in page
