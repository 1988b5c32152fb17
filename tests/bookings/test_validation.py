"""cart_validate: all lines or none, every rule re-checked, idempotent, e-mail after commit."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from espacefamille.bookings.cart import cart_add_period, cart_clear, cart_toggle
from espacefamille.bookings.models import Booking, BookingStatus, CartLine
from espacefamille.bookings.rules import Reason
from espacefamille.catalog.models import Closure
from espacefamille.payments.cancellations import cart_validate

from .conftest import FRI_13, MON_09, MON_16, NOW, THU_12, TUE_17, Setup

pytestmark = pytest.mark.django_db(transaction=True)


def _toggle(s: Setup, child, product: str, day):  # type: ignore[no-untyped-def]
    return cart_toggle(household=s.family.household, child=child, product=s.p(product), day=day)


def test_two_meals_booked_and_emailed(setup: Setup) -> None:
    assert _toggle(setup, setup.paul, "REPAS", THU_12).action == "added"
    assert _toggle(setup, setup.paul, "REPAS", FRI_13).action == "added"
    mail.outbox.clear()
    result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert result.ok and len(result.booked) == 2
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.VALIDATED}
    assert not CartLine.objects.exists()
    assert [m.subject for m in mail.outbox] == ["Validation du panier"]
    body = mail.outbox[0].body
    assert "2 REPAS" in body and "12" in body and "13" in body


def test_validating_twice_changes_nothing(setup: Setup) -> None:
    _toggle(setup, setup.paul, "REPAS", THU_12)
    cart_validate(household=setup.family.household, user=setup.family.user)
    mail.outbox.clear()
    again = cart_validate(household=setup.family.household, user=setup.family.user)
    assert again.nothing_to_do
    assert Booking.objects.count() == 1
    assert mail.outbox == []


def test_one_failing_line_writes_nothing(setup: Setup) -> None:
    _toggle(setup, setup.paul, "REPAS", THU_12)
    _toggle(setup, setup.paul, "REPAS", FRI_13)
    # The town closes Friday after the line went into the cart.
    Closure.objects.create(
        municipality=setup.paul.municipality, start_date=FRI_13, end_date=FRI_13, reason="Grève"
    )
    result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert not result.ok
    assert [(line.date, r.reason) for line, r in result.refused] == [(FRI_13, Reason.CLOSED)]
    assert not Booking.objects.exists()
    errors = dict(CartLine.objects.values_list("date", "error"))
    assert errors[THU_12] == "" and "Grève" in errors[FRI_13]


def test_deadline_is_checked_at_validation_time(setup: Setup) -> None:
    _toggle(setup, setup.paul, "REPAS", THU_12)  # deadline Tue 10:00; now 09:00
    with time_machine.travel(NOW.replace(hour=10, minute=0), tick=False):
        result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert not result.ok and result.refused[0][1].reason == Reason.PAST_DEADLINE
    assert not Booking.objects.exists()


def test_incompatible_products_same_day(setup: Setup) -> None:
    _toggle(setup, setup.paul, "REPAS", THU_12)
    # Only in the cart: REPAS VEGETARIEN takes its place, then REPAS takes it back.
    assert _toggle(setup, setup.paul, "REPAS VEGETARIEN", THU_12).action == "swapped"
    assert _toggle(setup, setup.paul, "REPAS", THU_12).action == "swapped"
    cart_validate(household=setup.family.household, user=setup.family.user)
    refused = _toggle(setup, setup.paul, "REPAS VEGETARIEN", THU_12)  # REPAS is booked
    assert refused.action == "refused" and refused.refusal.reason == Reason.INCOMPATIBLE
    # Swapping in one cart: cancel REPAS and book VEGETARIEN together.
    assert _toggle(setup, setup.paul, "REPAS", THU_12).action == "cancel_added"
    assert _toggle(setup, setup.paul, "REPAS VEGETARIEN", THU_12).action == "added"
    result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert result.ok
    active = Booking.objects.filter(status=BookingStatus.VALIDATED)
    assert [b.product.name for b in active] == ["REPAS VEGETARIEN"]


def test_capacity_is_never_exceeded(setup: Setup) -> None:
    from espacefamille.demo.catalog import enroll_all

    from ..conftest import make_family
    from ..factories import ChildFactory

    product = setup.p("REPAS")
    product.capacity = 1
    product.save()
    _toggle(setup, setup.paul, "REPAS", THU_12)
    _toggle(setup, setup.paul, "REPAS", FRI_13)
    # The cart's own claim counts: a sibling cannot take the same last place.
    refused = _toggle(setup, setup.julie, "REPAS", THU_12)
    assert refused.action == "refused" and refused.refusal.reason == Reason.FULL
    # Another family validates the last Thursday place first.
    other = make_family(setup.paul.municipality, email="voisin@example.org")
    lea = ChildFactory(household=other.household, first_name="Léa")
    enroll_all([lea], [setup.restaurant])
    cart_toggle(household=other.household, child=lea, product=product, day=THU_12)
    assert cart_validate(household=other.household, user=other.user).ok
    result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert not result.ok
    assert [(line.date, r.reason) for line, r in result.refused] == [(THU_12, Reason.FULL)]
    assert "Complet" in result.refused[0][1].message
    assert Booking.objects.filter(child=setup.paul).count() == 0  # Friday not written either


def test_cancellation_within_deadline_frees_the_place(setup: Setup) -> None:
    _toggle(setup, setup.paul, "REPAS", MON_16)
    cart_validate(household=setup.family.household, user=setup.family.user)
    assert _toggle(setup, setup.paul, "REPAS", MON_16).action == "cancel_added"
    result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert result.ok and [b.status for b in result.cancelled] == [BookingStatus.CANCELLED]
    assert not Booking.objects.filter(status=BookingStatus.VALIDATED).exists()


def test_cancellation_past_deadline_is_refused(setup: Setup) -> None:
    _toggle(setup, setup.paul, "REPAS", THU_12)
    cart_validate(household=setup.family.household, user=setup.family.user)
    with time_machine.travel(NOW.replace(hour=11), tick=False):
        result = _toggle(setup, setup.paul, "REPAS", THU_12)
    assert result.action == "refused" and result.refusal.reason == Reason.NOT_CANCELLABLE


def test_past_and_closed_days_are_refused(setup: Setup) -> None:
    assert _toggle(setup, setup.paul, "REPAS", MON_09).refusal.reason == Reason.PAST_DEADLINE
    wed = _toggle(setup, setup.paul, "REPAS", TUE_17.replace(day=18))
    assert wed.refusal.reason == Reason.CLOSED  # no meals on Wednesdays


def test_clear_cart(setup: Setup) -> None:
    _toggle(setup, setup.paul, "REPAS", THU_12)
    _toggle(setup, setup.julie, "REPAS", THU_12)
    assert cart_clear(household=setup.family.household) == 2
    assert not CartLine.objects.exists()


def test_clicking_a_cart_cell_takes_it_back(setup: Setup) -> None:
    _toggle(setup, setup.paul, "REPAS", THU_12)
    assert _toggle(setup, setup.paul, "REPAS", THU_12).action == "removed"
    assert not CartLine.objects.exists()


def test_period_booking_skips_holidays_and_lists_refusals(setup: Setup) -> None:
    from datetime import date

    product = setup.p("REPAS")
    result = cart_add_period(
        household=setup.family.household,
        start=date(2026, 11, 9),
        end=date(2026, 12, 31),
        patterns={setup.paul: {product: {0, 1, 2, 3, 4}}},
    )
    days = sorted(CartLine.objects.values_list("date", flat=True))
    assert date(2026, 11, 11) not in days  # Armistice + Wednesdays closed
    assert all(d.weekday() != 2 for d in days)
    assert not any(date(2026, 12, 19) <= d for d in days)  # Christmas holidays (zone C)
    assert days[0] == THU_12
    # Monday 9 and Tuesday 10 are past their deadline: listed, not dropped silently.
    skipped = [(day, r.reason) for _c, _p, day, r in result.skipped]
    assert skipped == [
        (date(2026, 11, 9), Reason.PAST_DEADLINE),
        (date(2026, 11, 10), Reason.PAST_DEADLINE),
    ]
    assert result.added == len(days)
