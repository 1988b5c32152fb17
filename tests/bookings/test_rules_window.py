"""The rules read every day they need, whatever the caller asks about: a school-period flat
rate ends at the next holiday even when that holiday lies outside the days shown or booked
(the context used to load only the cart's own span, or a window each caller chose)."""

from __future__ import annotations

from datetime import date

import pytest

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.context import BookingContext
from espacefamille.bookings.rules import MAX_SCHOOL_PERIOD, rules_window
from espacefamille.catalog.models import FlatRatePeriod, Product, SchoolHoliday
from espacefamille.payments.cancellations import cart_validate

from .conftest import Setup

pytestmark = pytest.mark.django_db(transaction=True)


def _school_period_product(setup: Setup) -> Product:
    return Product.objects.create(
        municipality=setup.paul.municipality,
        service=setup.daycare,
        name="FORFAIT PÉRIODE",
        weekdays="0134",
        booking_deadline="days:1@18:00",
        cancellation_deadline="days:1@18:00",
        flat_rate_period=FlatRatePeriod.SCHOOL_PERIOD,
    )


def test_a_school_period_ends_at_a_local_holiday_far_from_the_day_booked(setup: Setup) -> None:
    product = _school_period_product(setup)
    SchoolHoliday.objects.create(
        municipality=setup.paul.municipality,
        start_date=date(2027, 2, 1),
        end_date=date(2027, 2, 2),
        name="Pont local",
    )
    result = cart_toggle(
        household=setup.family.household, child=setup.paul, product=product, day=date(2027, 1, 14)
    )
    assert result.action == "added"
    [booking] = cart_validate(household=setup.family.household, user=None).booked
    # The period starts after the Christmas holidays and ends before the local holiday.
    assert (booking.date, booking.end_date) == (date(2027, 1, 4), date(2027, 1, 31))


def test_the_context_loads_the_window_the_rules_declare(setup: Setup) -> None:
    product = _school_period_product(setup)
    day = date(2026, 12, 3)
    start, end = rules_window(product, day)
    assert (day - start).days > MAX_SCHOOL_PERIOD and (end - day).days > MAX_SCHOOL_PERIOD
    ctx = BookingContext.load(
        municipality=setup.paul.municipality, children=[setup.paul], products=[product], days=[day]
    )
    assert ctx.calendar.start <= start and ctx.calendar.end >= end
