"""The capacity ledger: the database refuses an overbooking whatever the Python code does,
locks are only taken inside a transaction, a day may have its own capacity, expired holds free
their places for the next check, and ``check_capacity`` finds and fixes a difference."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from espacefamille.bookings.capacity import product_day_capacity_set
from espacefamille.bookings.cart import cart_add_period, cart_for, cart_toggle
from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.bookings.holds import holds_create, release_expired_holds
from espacefamille.bookings.locking import lock_product_days
from espacefamille.bookings.models import Booking, CartLine, PlaceHold, ProductDay
from espacefamille.payments.cancellations import cart_validate

from .conftest import MON_16, NOW, TUE_17, Setup

pytestmark = pytest.mark.django_db(transaction=True)


def _book(setup: Setup, child, product: str, day) -> None:  # type: ignore[no-untyped-def]
    cart_toggle(household=child.household, child=child, product=setup.p(product), day=day)
    assert cart_validate(household=child.household, user=None).ok


def _capped(setup: Setup, places: int = 1):  # type: ignore[no-untyped-def]
    meal = setup.p("REPAS")
    meal.capacity = places
    meal.save()
    return meal


def test_the_database_refuses_more_taken_than_capacity(setup: Setup) -> None:
    _capped(setup)
    _book(setup, setup.paul, "REPAS", MON_16)
    row = ProductDay.objects.get(date=MON_16)
    assert (row.taken, row.capacity) == (1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductDay.objects.filter(pk=row.pk).update(taken=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductDay.objects.filter(pk=row.pk).update(taken=-1)


def test_a_lock_outside_a_transaction_raises(setup: Setup) -> None:
    meal = _capped(setup)
    with pytest.raises(RuntimeError, match="inside a transaction"):
        lock_product_days([(meal, MON_16)])


def test_a_day_may_have_its_own_capacity(setup: Setup) -> None:
    meal = _capped(setup, places=10)
    _book(setup, setup.paul, "REPAS", MON_16)
    with pytest.raises(BookingError) as below:
        product_day_capacity_set(product=meal, day=MON_16, capacity=0)
    assert below.value.reason == Reason.CAPACITY_BELOW_TAKEN
    assert "1 place est déjà prise" in below.value.message
    product_day_capacity_set(product=meal, day=MON_16, capacity=1)  # a school trip
    refused = cart_toggle(
        household=setup.julie.household, child=setup.julie, product=meal, day=MON_16
    )
    assert refused.refusal is not None and refused.refusal.reason == Reason.FULL
    # The other days keep the product's capacity; the day can follow it again.
    _book(setup, setup.julie, "REPAS", TUE_17)
    product_day_capacity_set(product=meal, day=MON_16, capacity=None)
    _book(setup, setup.julie, "REPAS", MON_16)
    assert ProductDay.objects.get(date=MON_16).taken == 2


def test_a_lower_product_capacity_leaves_a_full_day_full(setup: Setup) -> None:
    meal = _capped(setup, places=2)
    _book(setup, setup.paul, "REPAS", MON_16)
    _book(setup, setup.julie, "REPAS", MON_16)
    meal.capacity = 1
    meal.save()
    # Paul cancels: one place taken for a capacity of one, still full for anyone else.
    cart_toggle(household=setup.paul.household, child=setup.paul, product=meal, day=MON_16)
    assert cart_validate(household=setup.paul.household, user=None).ok
    refused = cart_toggle(
        household=setup.paul.household, child=setup.paul, product=meal, day=MON_16
    )
    assert refused.refusal is not None and refused.refusal.reason == Reason.FULL
    call_command("check_capacity")


def test_an_expired_hold_frees_its_place_for_the_next_check(setup: Setup) -> None:
    meal = _capped(setup)
    holds_create(
        household=setup.julie.household,
        items=[(setup.julie, meal, MON_16)],
        expires_at=NOW + timedelta(minutes=20),
    )
    refused = cart_toggle(
        household=setup.paul.household, child=setup.paul, product=meal, day=MON_16
    )
    assert refused.refusal is not None and refused.refusal.reason == Reason.FULL
    with pytest.raises(BookingError):  # and a second hold is refused too
        holds_create(
            household=setup.paul.household,
            items=[(setup.paul, meal, MON_16)],
            expires_at=NOW + timedelta(minutes=20),
        )
    # 20 minutes later nobody ran the clean-up command: the next validation releases it.
    cart = setup.paul.household
    later = NOW + timedelta(minutes=21)

    CartLine.objects.create(
        municipality=cart.municipality,
        cart=cart_for(household=cart),
        child=setup.paul,
        product=meal,
        date=MON_16,
        action="add",
    )
    assert cart_validate(household=cart, user=None, now=later).ok
    assert not PlaceHold.objects.exists()
    assert ProductDay.objects.get(date=MON_16).taken == 1
    call_command("check_capacity")


def test_a_validation_with_places_to_spare_leaves_an_expired_hold_to_the_clean_up(
    setup: Setup,
) -> None:
    """Issue 17: a validation releases expired holds only where it could run short of places;
    elsewhere the hold stays counted (the ledger still equals bookings and holds) until the
    next writer that needs its place, or ``release_expired_holds``, frees it."""
    _capped(setup, places=5)
    holds_create(
        household=setup.julie.household,
        items=[(setup.julie, setup.p("REPAS"), MON_16)],
        expires_at=NOW - timedelta(minutes=1),
    )
    _book(setup, setup.paul, "REPAS", MON_16)
    assert PlaceHold.objects.count() == 1
    assert ProductDay.objects.get(date=MON_16).taken == 2
    call_command("check_capacity")
    assert release_expired_holds(municipality=setup.julie.municipality) == 1
    assert ProductDay.objects.get(date=MON_16).taken == 1


def test_a_cart_short_of_places_releases_the_expired_holds_it_needs(setup: Setup) -> None:
    """Two children on a day with one place free and one held by an expired hold: the cart
    asks for two places, so the hold is released and both are booked (counting the day once
    would find a place free and refuse the second child)."""
    meal = _capped(setup, places=2)
    holds_create(
        household=setup.julie.household,
        items=[(setup.julie, meal, MON_16)],
        expires_at=NOW - timedelta(minutes=1),
    )
    household = setup.paul.household
    for child in (setup.paul, setup.julie):  # as the test above: no check before "Valider"
        CartLine.objects.create(
            municipality=household.municipality,
            cart=cart_for(household=household),
            child=child,
            product=meal,
            date=MON_16,
            action="add",
        )
    assert cart_validate(household=setup.paul.household, user=None).ok
    assert not PlaceHold.objects.exists()
    assert ProductDay.objects.get(date=MON_16).taken == 2
    call_command("check_capacity")


def test_release_expired_holds_tidies_the_rest(setup: Setup) -> None:
    meal = _capped(setup, places=5)
    holds_create(
        household=setup.julie.household,
        items=[(setup.julie, meal, MON_16), (setup.julie, meal, TUE_17)],
        expires_at=NOW - timedelta(minutes=1),
    )
    assert ProductDay.objects.get(date=TUE_17).taken == 1
    assert release_expired_holds(municipality=setup.julie.municipality) == 2
    assert [r.taken for r in ProductDay.objects.order_by("date")] == [0, 0]


def test_check_capacity_reports_then_fixes_a_difference(setup: Setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _capped(setup, places=5)
    _book(setup, setup.paul, "REPAS", MON_16)
    Booking.objects.filter(date=MON_16).update(status="cancelled")  # a writer bypassing the ledger
    with pytest.raises(CommandError, match="1 écart"):
        call_command("check_capacity", setup.paul.municipality.slug)
    assert "registre 1, compté 0" in capsys.readouterr().out
    call_command("check_capacity", "--fix")
    call_command("check_capacity")
    assert ProductDay.objects.get(date=MON_16).taken == 0


def test_period_limits_hold_whatever_the_front_door(setup: Setup) -> None:
    meal = setup.p("REPAS")
    patterns = {setup.paul: {meal: {0, 1, 3, 4}}}
    with pytest.raises(BookingError) as too_long:
        cart_add_period(
            household=setup.paul.household,
            start=MON_16,
            end=MON_16 + timedelta(days=400),
            patterns=patterns,
        )
    assert too_long.value.reason == Reason.PERIOD_TOO_LONG
    far = MON_16 + timedelta(days=800)
    with pytest.raises(BookingError) as too_far:
        cart_add_period(household=setup.paul.household, start=far, end=far, patterns=patterns)
    assert too_far.value.reason == Reason.OUT_OF_RANGE
    clicked = cart_toggle(household=setup.paul.household, child=setup.paul, product=meal, day=far)
    assert clicked.refusal is not None and clicked.refusal.reason == Reason.OUT_OF_RANGE


@pytest.mark.usefixtures("frozen")
def test_check_capacity_passes_on_the_demo(db: None) -> None:
    from espacefamille.demo import load_demo

    load_demo(base_url="http://127.0.0.1:8000")
    call_command("check_capacity")


def test_a_day_capacity_change_is_in_the_action_log(setup: Setup) -> None:
    from espacefamille.audit.models import ActionLogEntry

    meal = _capped(setup, places=10)
    product_day_capacity_set(product=meal, day=MON_16, capacity=4, actor=setup.family.user)
    entry = ActionLogEntry.objects.get(action="product_day.capacity")
    assert entry.changes == {"capacity": [None, 4]} and entry.actor == setup.family.user
