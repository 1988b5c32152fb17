"""A validation that cannot get its product-day locks in time gives up with a clear French
message ("réessayez dans un instant") instead of a 500, and writes nothing (PostgreSQL's
``lock_timeout``; SQLite serializes whole transactions instead)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from espacefamille.bookings import locking
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.bookings.models import Booking, ProductDay
from espacefamille.core.tenancy import municipality_scope
from espacefamille.payments.cancellations import cart_validate

from .conftest import MON_16, Setup

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="lock_timeout is PostgreSQL's"),
]


def test_a_lock_held_too_long_answers_busy(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    meal = setup.p("REPAS")
    household = setup.family.household
    cart_toggle(household=household, child=setup.paul, product=meal, day=MON_16)
    with transaction.atomic():
        locking.lock_product_days([(meal, MON_16)])  # creates the day's row
    monkeypatch.setattr(locking, "LOCK_TIMEOUT", "300ms")
    holding, release = threading.Event(), threading.Event()

    def agent_holding_the_day() -> None:
        with municipality_scope(setup.paul.municipality), transaction.atomic():
            ProductDay.objects.select_for_update().get(product=meal, date=MON_16)
            holding.set()
            release.wait(10)
        connections.close_all()

    other = threading.Thread(target=agent_holding_the_day)
    other.start()
    try:
        assert holding.wait(10)
        with pytest.raises(BookingError) as busy:
            cart_validate(household=household, user=None)
        assert busy.value.reason == Reason.BUSY
        assert "Réessayez dans un instant" in busy.value.message
    finally:
        release.set()
        other.join(10)
    assert not Booking.objects.exists()
    assert cart_validate(household=household, user=None).ok  # once the lock is free
