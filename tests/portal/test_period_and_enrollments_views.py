""" "Réserver pour une période", "Mes inscriptions" and the calendar feed, through the test
client (NOW = Tuesday 10/11/2026, 09:00 in Paris)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import CalendarFeed, CartAction
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import enroll_all
from espacefamille.payments.cancellations import cart_validate

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import FRI_13, MON_16, Setup
from ..conftest import make_family
from ..factories import ChildFactory
from .booking_helpers import AGENDA, PERIOD, PERIOD_CHILDREN, cart_lines, page_text, period_dates

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("31/02/2027", "10/03/2027", "Saisissez une date valide au format JJ/MM/AAAA."),
        ("demain", "10/03/2027", "Saisissez une date valide au format JJ/MM/AAAA."),
        ("", "10/03/2027", "Ce champ est obligatoire."),
        ("10/03/2027", "01/03/2027", "La date de fin doit être postérieure à la date de début."),
        ("16/11/2026", "30/11/2027", "La période ne peut pas dépasser une année scolaire"),
        ("02/11/2026", "30/11/2026", "La date de début ne peut pas être passée."),
        ("16/11/2026", "31/12/9999", "Choisissez une date entre le 01/01/2000 et le 31/12/2100."),
    ],
)
def test_period_bad_dates(setup: Setup, start: str, end: str, message: str) -> None:
    response = period_dates(setup, start, end)
    assert response.status_code == 200
    assert message in page_text(response)
    assert "period_booking" not in setup.family.client.session
    assert cart_lines(setup) == []


def test_period_wizard_for_two_children(setup: Setup) -> None:
    client = setup.family.client
    assert "Date de début" in page_text(client.get(PERIOD, {"service": setup.restaurant.pk}))
    response = period_dates(setup, "10/11/2026", "20/11/2026")
    assert response.status_code == 302 and response["Location"] == PERIOD_CHILDREN
    page = page_text(client.get(PERIOD_CHILDREN))
    assert "Julie DUPONT" in page and "Paul DUPONT" in page
    assert "LUN" in page and "VEN" in page and "Terminer" in page and "Enfant suivant" in page
    repas, veg = setup.p("REPAS").pk, setup.p("REPAS VEGETARIEN").pk
    # Julie (first): REPAS on Mondays and Tuesdays, and a Wednesday that REPAS never opens.
    response = client.post(
        PERIOD_CHILDREN,
        {"enfant": setup.julie.pk, f"jours-{repas}": ["0", "1", "2"], "action": "suivant"},
    )
    assert response.status_code == 302 and f"enfant={setup.paul.pk}" in response["Location"]
    assert cart_lines(setup) == []  # nothing written before "Terminer"
    page = page_text(client.get(response["Location"]))
    assert "Enfant précédent" in page
    response = client.post(
        PERIOD_CHILDREN,
        {"enfant": setup.paul.pk, f"jours-{veg}": ["4"], "action": "terminer"},
    )
    assert response.status_code == 302 and response["Location"].startswith(AGENDA)
    lines = cart_lines(setup)
    assert ("Julie", "REPAS", date(2026, 11, 16), CartAction.ADD) in lines
    assert ("Julie", "REPAS", date(2026, 11, 17), CartAction.ADD) in lines
    assert ("Paul", "REPAS VEGETARIEN", FRI_13, CartAction.ADD) in lines
    assert ("Paul", "REPAS VEGETARIEN", date(2026, 11, 20), CartAction.ADD) in lines
    assert len(lines) == 4
    page = page_text(client.get(response["Location"]))
    assert "4 jours ont été ajoutés au panier." in page
    # Tuesday 10 (today) is past its deadline: listed with its reason, not dropped silently.
    assert "Ces jours n'ont pas pu être réservés" in page
    assert "Julie DUPONT — REPAS — Mar. 10 nov. 2026" in page and "délai dépassé" in page
    assert "period_booking" not in client.session


def test_period_wizard_refuses_another_households_child(setup: Setup) -> None:
    with municipality_scope(setup.paul.municipality):
        other = make_family(setup.paul.municipality, email="autre@example.org")
        stranger = ChildFactory(household=other.household)
        enroll_all([stranger], [setup.restaurant])
    period_dates(setup, "16/11/2026", "20/11/2026")
    client = setup.family.client
    assert client.get(PERIOD_CHILDREN, {"enfant": stranger.pk}).status_code == 404
    data = {"enfant": stranger.pk, f"jours-{setup.p('REPAS').pk}": ["0"], "action": "terminer"}
    assert client.post(PERIOD_CHILDREN, data).status_code == 404
    response = client.post(PERIOD_CHILDREN, {"enfant": setup.paul.pk, "action": "terminer"})
    assert "Cochez au moins un jour" in page_text(response)
    assert cart_lines(setup) == []


def test_enrollments_and_calendar_feed(setup: Setup) -> None:
    client = setup.family.client
    page = page_text(client.get(reverse("portal:enrollments")))
    assert "Mes inscriptions" in page and "Restaurant scolaire" in page and "2026-2027" in page
    assert "Créer le lien de l'agenda" in page
    response = client.post(reverse("portal:calendar_feed_new", args=[setup.paul.pk]))
    assert response.status_code == 302
    with municipality_scope(setup.paul.municipality):
        old = CalendarFeed.objects.get(child=setup.paul).token
        cart_toggle(
            household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=MON_16
        )
        cart_validate(household=setup.family.household, user=setup.family.user)
    page = page_text(client.get(reverse("portal:enrollments")))
    assert f"/agenda/{old}.ics" in page and "Renouveler le lien" in page
    anonymous = Client()
    feed = anonymous.get(reverse("portal:calendar_feed", args=[old]))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "SUMMARY:REPAS — Paul\r\n" in body and "DTSTART;VALUE=DATE:20261116\r\n" in body
    client.post(reverse("portal:calendar_feed_new", args=[setup.paul.pk]))
    with municipality_scope(setup.paul.municipality):
        new = CalendarFeed.objects.get(child=setup.paul).token
    assert new != old
    assert anonymous.get(reverse("portal:calendar_feed", args=[old])).status_code == 404
    assert anonymous.get(reverse("portal:calendar_feed", args=[new])).status_code == 200
    assert anonymous.get("/agenda/inconnu.ics").status_code == 404
