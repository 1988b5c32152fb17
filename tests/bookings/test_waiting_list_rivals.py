"""A child waiting for a place must not be promoted into a product incompatible with one it
booked meanwhile (code review finding: promotion loaded only the freed product)."""

from __future__ import annotations

import pytest

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Booking, BookingStatus, WaitingListEntry, WaitingStatus
from espacefamille.bookings.waiting_list import waiting_list_join
from espacefamille.demo.catalog import enroll_all
from espacefamille.payments.cancellations import cart_validate

from ..conftest import make_family
from ..factories import ChildFactory
from .conftest import MON_16, Setup

pytestmark = pytest.mark.django_db(transaction=True)


def test_waiting_child_who_booked_a_rival_product_is_not_promoted(setup: Setup) -> None:
    meal, vegetarian = setup.p("REPAS"), setup.p("REPAS VEGETARIEN")
    meal.capacity = 1
    meal.save()
    cart_toggle(household=setup.family.household, child=setup.paul, product=meal, day=MON_16)
    assert cart_validate(household=setup.family.household, user=None).ok
    other = make_family(setup.paul.municipality, email="voisin@example.org")
    lea = ChildFactory(household=other.household, first_name="Léa")
    enroll_all([lea], [setup.restaurant])
    waiting_list_join(child=lea, product=meal, day=MON_16, user=other.user)
    # Meanwhile Léa's family books the vegetarian meal that day.
    cart_toggle(household=other.household, child=lea, product=vegetarian, day=MON_16)
    assert cart_validate(household=other.household, user=None).ok

    cart_toggle(household=setup.family.household, child=setup.paul, product=meal, day=MON_16)
    assert cart_validate(household=setup.family.household, user=None).ok

    lea_bookings = Booking.objects.filter(child=lea, status=BookingStatus.VALIDATED)
    assert [b.product.name for b in lea_bookings] == ["REPAS VEGETARIEN"]
    assert WaitingListEntry.objects.get(child=lea).status == WaitingStatus.WITHDRAWN
