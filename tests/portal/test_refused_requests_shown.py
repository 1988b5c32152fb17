"""A request the town refused is shown to the family on the portal (issue 16, item 12):
"Refusée : <motif>" on the week view's cell and in "Mes inscriptions", until the day passes;
the family may still ask again when the rules allow it."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.catalog.deadlines import PARIS
from espacefamille.core.tenancy import municipality_scope
from espacefamille.payments.cancellations import booking_decide

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import MON_16, Setup
from .booking_helpers import AGENDA, cart_lines, page_text

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup

REASON = "Plus de place au centre ce jour-là"


def _refuse(s: Setup) -> Booking:
    with municipality_scope(s.paul.municipality):
        (booking,) = bookings_record_history(
            bookings=[
                Booking(
                    municipality=s.paul.municipality,
                    child=s.paul,
                    product=s.p("REPAS"),
                    date=MON_16,
                    status=BookingStatus.REQUESTED,
                )
            ]
        )
        return booking_decide(booking=booking, accept=False, reason=REASON)


def _week(s: Setup) -> str:
    url = f"{AGENDA}?service={s.restaurant.pk}&enfant={s.paul.pk}&semaine={MON_16.isoformat()}"
    return page_text(s.family.client.get(url))


def test_the_refused_cell_shows_the_reason_and_can_be_asked_again(setup: Setup) -> None:
    _refuse(setup)
    page = _week(setup)
    assert f"Refusée : {REASON}" in page
    cell = page.split(f'id="cell-{setup.p("REPAS").pk}-20261116"', 1)[1].split("</td>", 1)[0]
    assert "cell-refused" in page and f"Refusée : {REASON}" in cell
    assert 'name="cellule"' in cell  # still bookable: a click asks again
    toggle = reverse("portal:agenda_toggle")
    setup.family.client.post(
        toggle,
        {
            "service": setup.restaurant.pk,
            "enfant": setup.paul.pk,
            "semaine": MON_16.isoformat(),
            "cellule": f"{setup.p('REPAS').pk}:{MON_16.isoformat()}",
        },
    )
    assert cart_lines(setup) == [("Paul", "REPAS", MON_16, "add")]
    again = _week(setup).split(f'id="cell-{setup.p("REPAS").pk}-20261116"', 1)[1]
    assert again.startswith(' class="cell cell-cart_add')


def test_mes_inscriptions_lists_the_refusal_until_the_day_passes(setup: Setup) -> None:
    _refuse(setup)
    page = page_text(setup.family.client.get(reverse("portal:enrollments")))
    assert "Réservations refusées par la commune" in page and f"Refusée : {REASON}" in page
    with time_machine.travel(datetime(2026, 11, 17, 9, 0, tzinfo=PARIS), tick=False):
        assert REASON not in page_text(setup.family.client.get(reverse("portal:enrollments")))
        assert REASON not in _week(setup)
