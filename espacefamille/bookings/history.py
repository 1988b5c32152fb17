"""Bookings recorded after the fact: days taken over from the software a town leaves, or a
month of history for the demo. Their deadlines are long past, so the booking rules do not
apply, but the places they take still go through the capacity ledger under the product-day
locks — no writer of bookings bypasses it (``check_capacity`` would say so)."""

from __future__ import annotations

from django.db import transaction

from .locking import lock_product_days
from .models import Booking
from .transitions import bookings_create


@transaction.atomic
def bookings_record_history(*, bookings: list[Booking]) -> list[Booking]:
    """Insert ``bookings`` as they are (status included) and count their places. A day that
    had more children than places keeps them: history is not refused, the day stays full."""
    ledger = lock_product_days([(booking.product, booking.date) for booking in bookings])
    created = bookings_create(bookings, ledger=ledger)
    ledger.flush()
    return created
