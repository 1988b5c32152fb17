"""Rules the services enforce whatever the front door (portal, back office, API): found while
building the family pages."""

from __future__ import annotations

import pytest

from espacefamille.bookings.cart import cart_add_period, cart_toggle
from espacefamille.bookings.errors import BookingError
from espacefamille.bookings.models import CartLine
from espacefamille.demo.catalog import enroll_all

from ..conftest import make_family
from ..factories import ChildFactory
from .conftest import THU_12, Setup

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_product_not_offered_to_families_cannot_be_booked(setup: Setup) -> None:
    product = setup.p("REPAS")
    product.is_active = False
    product.save()
    result = cart_toggle(
        household=setup.family.household, child=setup.paul, product=product, day=THU_12
    )
    assert result.action == "refused"
    assert not CartLine.objects.exists()


def test_a_child_of_another_household_is_refused(setup: Setup) -> None:
    other = make_family(setup.paul.municipality, email="voisin@example.org")
    stranger = ChildFactory(household=other.household, first_name="Léa")
    enroll_all([stranger], [setup.restaurant])
    with pytest.raises(BookingError, match="pas dans le foyer"):
        cart_toggle(
            household=setup.family.household, child=stranger, product=setup.p("REPAS"), day=THU_12
        )
    with pytest.raises(BookingError, match="pas dans le foyer"):
        cart_add_period(
            household=setup.family.household,
            start=THU_12,
            end=THU_12,
            patterns={stranger: {setup.p("REPAS"): {3}}},
        )
    assert not CartLine.objects.exists()
