"""The family home answers "what's next" (issue 21): per child the next school days with what
is booked and the next deadline, the cart in the family's words with "Valider", the total due
with one "Payer" per invoice, the requests the town answered, "Signaler une absence"; in the
same number of queries with two children or five. (NOW = Tuesday 10/11/2026, 09:00.)"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from espacefamille.bookings.models import Attendance, AttendanceState
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import enroll_all

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import FRI_13, THU_12, Setup
from ..factories import ChildFactory
from .booking_helpers import click, page_text

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup
HOME = reverse("portal:home")


def test_the_home_says_whats_next(setup: Setup) -> None:
    click(setup, "REPAS", THU_12, setup.paul)
    click(setup, "REPAS", FRI_13, setup.paul)
    click(setup, "REPAS", THU_12, setup.julie)
    html = page_text(setup.family.client.get(HOME))
    assert "3 REPAS dans votre panier" in html
    assert re.search(r"<button[^>]*>Valider", html)
    assert "Signaler une absence" in html
    assert "Aujourd'hui" in html and "Jeudi 12/11" in html
    for child in (setup.paul, setup.julie):
        assert f'id="home-child-{child.pk}"' in html
    setup.family.client.post(reverse("portal:cart_validate"))
    after = page_text(setup.family.client.get(HOME))
    assert "dans votre panier" not in after
    assert "REPAS (réservation validée)" in after


def test_the_next_deadline_of_a_product_the_child_books(setup: Setup) -> None:
    click(setup, "REPAS", THU_12, setup.paul)
    setup.family.client.post(reverse("portal:cart_validate"))
    html = page_text(setup.family.client.get(HOME))
    assert re.search(r"REPAS de la semaine prochaine : réservez avant \w+ 10h00", html)


def test_a_day_shows_the_attendance_taken_for_that_child_only(setup: Setup) -> None:
    click(setup, "REPAS", THU_12, setup.paul)
    click(setup, "REPAS", THU_12, setup.julie)
    setup.family.client.post(reverse("portal:cart_validate"))
    with municipality_scope(setup.paul.municipality):
        Attendance.objects.create(
            municipality=setup.paul.municipality,
            child=setup.paul,
            product=setup.p("REPAS"),
            date=THU_12,
            state=AttendanceState.ABSENT,
        )
    html = page_text(setup.family.client.get(HOME))
    paul = html[html.index(f'id="home-child-{setup.paul.pk}"') :]
    julie = html[html.index(f'id="home-child-{setup.julie.pk}"') :]
    paul, julie = (part[: part.index("</section>")] for part in (paul, julie))
    assert "REPAS (enfant absent)" in paul
    assert "REPAS (enfant absent)" not in julie
    assert "REPAS (réservation validée)" in julie


def _home_queries(setup: Setup) -> int:
    setup.family.client.get(HOME)  # the session and the town's calendar read once
    with CaptureQueriesContext(connection) as queries:
        assert setup.family.client.get(HOME).status_code == 200
    return len(queries)


# The session, the user and the guardian (every page), then the home's own: the children,
# their enrolments, the bookings (with the attendance taken), the cart, the invoices, the
# unread answers, the absences, the news and the town's messages.
HOME_QUERIES = 12


def test_the_home_costs_the_same_queries_whatever_the_children(setup: Setup) -> None:
    click(setup, "REPAS", THU_12, setup.paul)
    two = _home_queries(setup)
    assert two == HOME_QUERIES
    with municipality_scope(setup.paul.municipality):
        more = [ChildFactory(household=setup.family.household) for _ in range(3)]
        enroll_all(more, [setup.restaurant, setup.daycare, setup.wednesday])
    for child in more:
        click(setup, "REPAS", THU_12, child)
    assert _home_queries(setup) == two
