"""The dashboard's bookings figures, on a week checked by hand (NOW is Tuesday 10/11/2026;
Wednesday 11/11 is a public holiday)."""

from __future__ import annotations

from datetime import date

import pytest

from espacefamille.bookings.capacity import product_day_capacity_set
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.bookings.statistics import (
    Occupancy,
    ProductCount,
    bookings_per_day,
    bookings_per_product,
    occupancy_per_product,
    pending_decisions,
    products_for_statistics,
)
from espacefamille.households.models import Child

from .conftest import FRI_13, THU_12, Setup

pytestmark = pytest.mark.django_db

MON_9 = date(2026, 11, 9)
TUE_10 = date(2026, 11, 10)
MON_2 = date(2026, 11, 2)


def _book(setup: Setup, child: Child, name: str, day: date, status: str = "validated") -> None:
    bookings_record_history(
        bookings=[
            Booking(
                municipality=setup.family.household.municipality,
                child=child,
                product=setup.p(name),
                date=day,
                status=status,
            )
        ]
    )


@pytest.fixture
def week(setup: Setup) -> Setup:
    repas = setup.p("REPAS")
    repas.capacity = 10
    repas.save()
    _book(setup, setup.paul, "REPAS", MON_9)
    _book(setup, setup.paul, "REPAS", TUE_10)
    _book(setup, setup.paul, "REPAS", THU_12, BookingStatus.CANCEL_REQUESTED)
    _book(setup, setup.julie, "REPAS", TUE_10)
    _book(setup, setup.julie, "REPAS", MON_2)  # last week
    _book(setup, setup.paul, "GARDERIE AVANT REPAS", TUE_10)
    _book(setup, setup.julie, "GARDERIE AVANT REPAS", TUE_10, BookingStatus.CANCELLED)
    _book(setup, setup.julie, "REPAS VEGETARIEN", FRI_13, BookingStatus.REQUESTED)
    product_day_capacity_set(product=repas, day=THU_12, capacity=5)
    return setup


def test_bookings_per_product_today_and_this_week(week: Setup) -> None:
    counts = bookings_per_product(products=products_for_statistics(), today=TUE_10)
    by_name = {row.product: row for row in counts}
    assert by_name["REPAS"] == ProductCount("REPAS", today=2, week=4)
    assert by_name["GARDERIE AVANT REPAS"] == ProductCount("GARDERIE AVANT REPAS", 1, 1)
    assert by_name["REPAS VEGETARIEN"] == ProductCount("REPAS VEGETARIEN", 0, 1)
    assert by_name["MERCREDI JOURNEE"] == ProductCount("MERCREDI JOURNEE", 0, 0)


def test_occupancy_from_the_ledger_on_the_open_days(week: Setup) -> None:
    occupancy = occupancy_per_product(
        municipality=week.family.household.municipality,
        products=products_for_statistics(),
        today=TUE_10,
    )
    # REPAS opens Mon, Tue, Thu, Fri (Wednesday is a holiday anyway): 10 + 10 + 5 (the
    # agent's capacity of Thursday) + 10 places; 1 + 2 + 1 taken. MERCREDI JOURNEE opens on
    # the public holiday only this week: no place offered, not shown.
    assert occupancy == [Occupancy("REPAS", taken=4, capacity=35)]
    assert occupancy[0].percent == 11


def test_bookings_per_day_over_eight_weeks(week: Setup) -> None:
    days = bookings_per_day(today=TUE_10, weeks=8)
    assert len(days) == 56
    assert days[0].day == date(2026, 9, 21) and days[-1].day == date(2026, 11, 15)
    counts = {row.day: row.bookings for row in days if row.bookings}
    assert counts == {MON_2: 1, MON_9: 1, TUE_10: 3, THU_12: 1, FRI_13: 1}


def test_pending_decisions(week: Setup) -> None:
    pending = pending_decisions()
    assert (pending.bookings, pending.cancellations, pending.total) == (1, 1, 2)
