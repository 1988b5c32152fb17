"""A flat rate and the unit product it covers are rivals for a child and a day: FORFAIT
GARDERIE DU SOIR (December) and GARDERIE 16H30 A 18H30 (a Thursday of December) cannot both be
booked, whichever comes first, in the cart and in the period wizard (it cost 32 € before)."""

from __future__ import annotations

from datetime import date

import pytest

from espacefamille.bookings.cart import cart_add_period, cart_for, cart_toggle
from espacefamille.bookings.errors import Reason
from espacefamille.bookings.models import Booking, CartAction, CartLine
from espacefamille.payments.cancellations import cart_validate

from .conftest import Setup

pytestmark = pytest.mark.django_db

DEC_01 = date(2026, 12, 1)
THU_03 = date(2026, 12, 3)
FLAT = "FORFAIT GARDERIE DU SOIR"
UNIT = "GARDERIE 16H30 A 18H30"


def _line(setup: Setup, name: str, day: date) -> CartLine:
    return CartLine.objects.create(
        municipality=setup.family.household.municipality,
        cart=cart_for(household=setup.family.household),
        child=setup.paul,
        product=setup.p(name),
        date=day,
        action=CartAction.ADD,
    )


def _book(setup: Setup, name: str, day: date) -> None:
    result = cart_toggle(
        household=setup.family.household, child=setup.paul, product=setup.p(name), day=day
    )
    assert result.action == "added", result
    assert cart_validate(household=setup.family.household, user=None).ok


def _booked(setup: Setup) -> list[str]:
    return sorted(Booking.objects.filter(child=setup.paul).values_list("product__name", flat=True))


@pytest.mark.parametrize(("first", "then"), [(FLAT, UNIT), (UNIT, FLAT)])
def test_the_cart_refuses_the_rival_of_a_booked_day(setup: Setup, first: str, then: str) -> None:
    _book(setup, first, DEC_01 if first == FLAT else THU_03)
    day = DEC_01 if then == FLAT else THU_03
    clicked = cart_toggle(
        household=setup.family.household, child=setup.paul, product=setup.p(then), day=day
    )
    assert clicked.action == "refused"
    assert clicked.refusal is not None and clicked.refusal.reason == Reason.FLAT_RATE_RIVAL
    # The same line put in the cart some other way is refused by the validation, on the server.
    _line(setup, then, day)
    result = cart_validate(household=setup.family.household, user=None)
    assert not result.ok
    ((_line_refused, refusal),) = result.refused
    assert refusal.reason == Reason.FLAT_RATE_RIVAL
    if then == UNIT:
        assert refusal.message == f"Ce jour-là est déjà couvert par le forfait {FLAT}."
    else:
        assert refusal.message == f"Le forfait couvre déjà {UNIT}, réservé le 03/12/2026."
    assert _booked(setup) == [first]


@pytest.mark.parametrize("order", [(FLAT, UNIT), (UNIT, FLAT)])
def test_one_cart_cannot_hold_both(setup: Setup, order: tuple[str, str]) -> None:
    for name in order:
        _line(setup, name, DEC_01 if name == FLAT else THU_03)
    result = cart_validate(household=setup.family.household, user=None)
    assert not result.ok
    assert [refusal.reason for _line_refused, refusal in result.refused] == [Reason.FLAT_RATE_RIVAL]
    assert _booked(setup) == []


def _period(setup: Setup, *names: str) -> list[tuple[str, date, Reason]]:
    weekdays = {0, 1, 3, 4}
    result = cart_add_period(
        household=setup.family.household,
        start=DEC_01,
        end=date(2026, 12, 18),
        patterns={setup.paul: {setup.p(name): weekdays for name in names}},
    )
    return [(product.name, day, refusal.reason) for _c, product, day, refusal in result.skipped]


@pytest.mark.parametrize(("first", "then"), [(FLAT, UNIT), (UNIT, FLAT)])
def test_the_period_wizard_refuses_the_rival_of_a_booked_day(
    setup: Setup, first: str, then: str
) -> None:
    _book(setup, first, DEC_01 if first == FLAT else THU_03)
    skipped = _period(setup, then)
    assert skipped and {reason for _n, _d, reason in skipped} == {Reason.FLAT_RATE_RIVAL}
    if then == UNIT:  # every evening of the flat rate's month is covered
        assert not CartLine.objects.filter(product=setup.p(UNIT)).exists()
    else:
        assert not CartLine.objects.filter(product=setup.p(FLAT)).exists()


def test_the_period_wizard_does_not_put_both_in_the_cart(setup: Setup) -> None:
    skipped = _period(setup, UNIT, FLAT)
    assert skipped and {reason for _n, _d, reason in skipped} == {Reason.FLAT_RATE_RIVAL}
    lines = set(CartLine.objects.values_list("product__name", flat=True))
    assert len(lines) == 1
