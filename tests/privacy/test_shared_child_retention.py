"""Anonymising one household of a child shared by separated parents takes that household's
data only: the child's record, its shared data and the other household's bookings, cart and
calendar address stay with the other household, which becomes the child's first household."""

from __future__ import annotations

import pytest

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.feeds import calendar_feed_renew
from espacefamille.bookings.models import Booking, CalendarFeed, CartLine
from espacefamille.households.child_links import child_link_household
from espacefamille.households.models import Child, ChildDiet, ChildHousehold, Diet
from espacefamille.households.sharing import household_children
from espacefamille.payments.cancellations import cart_validate
from espacefamille.privacy.retention import ANONYMOUS_CHILD, household_anonymise

from ..bookings.conftest import FRI_13, MON_16, THU_12, Setup, frozen, setup  # noqa: F401
from ..conftest import Family, make_family

pytestmark = pytest.mark.django_db


def _martin(setup: Setup) -> Family:  # noqa: F811 - the fixture imported above
    other = make_family(setup.family.household.municipality, email="martin@example.org")
    child_link_household(child=setup.paul, household=other.household, actor=None)
    return other


def test_anonymising_one_household_keeps_the_shared_child_for_the_other(
    setup: Setup,  # noqa: F811 - the fixture imported above
) -> None:
    martin = _martin(setup)
    diet, _ = Diet.objects.get_or_create(municipality=setup.paul.municipality, label="Sans porc")
    ChildDiet.objects.create(municipality=setup.paul.municipality, child=setup.paul, diet=diet)
    meal = setup.p("REPAS")
    cart_toggle(household=setup.family.household, child=setup.paul, product=meal, day=THU_12)
    assert cart_validate(household=setup.family.household, user=setup.family.user).ok
    cart_toggle(household=martin.household, child=setup.paul, product=meal, day=FRI_13)
    assert cart_validate(household=martin.household, user=martin.user).ok
    cart_toggle(household=martin.household, child=setup.paul, product=meal, day=MON_16)
    calendar_feed_renew(child=setup.paul, household=setup.family.household)
    calendar_feed_renew(child=setup.paul, household=martin.household)

    household_anonymise(setup.family.household)

    paul = Child.objects.get(pk=setup.paul.pk)
    assert paul.first_name == "Paul" and paul.household_id == martin.household.pk
    assert list(household_children(martin.household)) == [paul]
    assert ChildDiet.objects.filter(child=paul).exists()
    assert Booking.objects.filter(child=paul, household=martin.household).count() == 1
    assert CartLine.objects.filter(cart__household=martin.household, child=paul).count() == 1
    assert list(CalendarFeed.objects.values_list("household_id", flat=True)) == [
        martin.household.pk
    ]
    assert not ChildHousehold.objects.filter(child=paul, ended_at__isnull=True).exists()
    # The household's own, unshared child is anonymised as before.
    assert Child.objects.get(pk=setup.julie.pk).first_name == ANONYMOUS_CHILD


def test_anonymising_the_second_household_ends_its_link_only(
    setup: Setup,  # noqa: F811 - the fixture imported above
) -> None:
    martin = _martin(setup)
    calendar_feed_renew(child=setup.paul, household=martin.household)
    household_anonymise(martin.household)
    paul = Child.objects.get(pk=setup.paul.pk)
    assert paul.first_name == "Paul" and paul.household_id == setup.family.household.pk
    assert not ChildHousehold.objects.filter(child=paul, ended_at__isnull=True).exists()
    assert not CalendarFeed.objects.exists()
