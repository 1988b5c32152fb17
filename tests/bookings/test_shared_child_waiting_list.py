"""The waiting list of a child shared between separated parents: the entry belongs to the
household that joined the list, the freed place is booked for that household (its booking, its
e-mail), and the child's other household never sees the entry."""

from __future__ import annotations

import pytest
from django.core import mail

from espacefamille.bookings.agenda import CellState, week_grid
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Booking, BookingStatus, WaitingListEntry, WaitingStatus
from espacefamille.bookings.waiting_list import waiting_list_join
from espacefamille.demo.catalog import enroll_all
from espacefamille.households.child_links import child_link_household
from espacefamille.payments.cancellations import cart_validate

from ..conftest import Family, make_family
from ..factories import ChildFactory
from .conftest import MON_16, Setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def martin(setup: Setup) -> Family:
    other = make_family(setup.family.household.municipality, email="martin@example.org")
    other.household.name = "MARTIN"
    other.household.save()
    child_link_household(child=setup.paul, household=other.household, actor=None)
    return other


def _cell_state(family: Family, setup: Setup) -> str:
    grid = week_grid(
        household=family.household, child=setup.paul, service=setup.restaurant, monday=MON_16
    )
    return grid[0].cells[0].state


def test_the_second_households_entry_is_promoted_into_its_own_booking(
    setup: Setup, martin: Family, django_capture_on_commit_callbacks
) -> None:
    meal = setup.p("REPAS")
    meal.capacity = 1
    meal.save()
    neighbour = make_family(setup.paul.municipality, email="voisin@example.org")
    neighbour.household.name = "VOISIN"
    neighbour.household.save()
    lea = ChildFactory(household=neighbour.household, first_name="Léa")
    enroll_all([lea], [setup.restaurant])
    assert cart_toggle(household=neighbour.household, child=lea, product=meal, day=MON_16)
    assert cart_validate(household=neighbour.household, user=neighbour.user).ok

    entry = waiting_list_join(
        child=setup.paul, product=meal, day=MON_16, user=martin.user, household=martin.household
    )
    assert entry.household_id == martin.household.pk
    assert _cell_state(martin, setup) == CellState.WAITING_LIST
    assert _cell_state(setup.family, setup) != CellState.WAITING_LIST  # never shown to DUPONT

    mail.outbox.clear()
    cart_toggle(household=neighbour.household, child=lea, product=meal, day=MON_16)
    with django_capture_on_commit_callbacks(execute=True):
        assert cart_validate(household=neighbour.household, user=neighbour.user).ok
    promoted = Booking.objects.get(child=setup.paul, date=MON_16)
    assert promoted.status == BookingStatus.VALIDATED
    assert promoted.household_id == martin.household.pk
    assert WaitingListEntry.objects.get(child=setup.paul).status == WaitingStatus.PROMOTED
    told = [message.to for message in mail.outbox if message.subject == "Une place s'est libérée"]
    assert told == [["martin@example.org"]]
    # MARTIN's day, shown to DUPONT as the other household's.
    assert _cell_state(martin, setup) == CellState.VALIDATED
    assert _cell_state(setup.family, setup) != CellState.VALIDATED


def test_an_entry_without_a_household_is_the_childs_first_households(setup: Setup) -> None:
    """Entries made before the household was recorded (or by an agent's tool) are the first
    household's, as the migration fills them."""
    entry = WaitingListEntry.objects.create(
        municipality=setup.paul.municipality,
        child=setup.paul,
        product=setup.p("REPAS"),
        date=MON_16,
    )
    assert entry.household_id == setup.family.household.pk
