"""The day's overview lists the children a page at a time (a day of 5,000 canteen bookings),
in a fixed number of queries, the site filter applied in the database, the booked figure
still the ledger's for the whole day."""

from __future__ import annotations

import pytest

from espacefamille.bookings.models import BookingStatus
from espacefamille.bookings.overview import day_overview

from ..kitchen.test_counts import _book, _child
from .conftest import THU_12, Setup

pytestmark = pytest.mark.django_db


def test_children_are_listed_a_page_at_a_time(
    setup: Setup, django_assert_max_num_queries: object
) -> None:
    for name in ("Ana", "Bea", "Cyd"):
        _book(setup, _child(setup, name, "Pasteur"), "REPAS", THU_12, BookingStatus.VALIDATED)
    _book(setup, _child(setup, "Dan", "Jules Ferry"), "REPAS", THU_12, BookingStatus.VALIDATED)
    meal = setup.p("REPAS")
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        first = day_overview(product=meal, day=THU_12, per_page=2)
    assert (first.booked, first.listed, first.page, first.pages) == (4, 4, 1, 2)
    assert [line.booking.child.first_name for line in first.children] == ["Ana", "Bea"]
    assert first.next_page == 2 and first.previous_page is None
    last = day_overview(product=meal, day=THU_12, per_page=2, page=99)
    assert last.page == 2 and [line.site for line in last.children] == ["Pasteur", "Jules Ferry"]
    pasteur = day_overview(product=meal, day=THU_12, site="Pasteur", per_page=2, page=2)
    assert (pasteur.booked, pasteur.listed, pasteur.pages) == (4, 3, 2)
    assert [line.booking.child.first_name for line in pasteur.children] == ["Cyd"]
