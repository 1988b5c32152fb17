"""The town closes days that families had booked (a strike, a closed school): every active
booking of those days is cancelled at once, whatever the deadlines (the town cancels, not the
family), and what was paid for them is given back as for any cancellation (``settle``). A day
already invoiced for good is left as it is (a correction there is a credit note). No waiting
list is promoted: the day is closed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from espacefamille.audit.records import action_record
from espacefamille.billing.closed_days import invoiced_run
from espacefamille.bookings.locking import lock_product_days
from espacefamille.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from espacefamille.bookings.transitions import booking_transition
from espacefamille.payments.cancellations import cancellations_settle

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@transaction.atomic
def bookings_cancel_for_closure(
    *,
    bookings: list[Booking],
    actor: User | None,
    reason: str,
    now: datetime | None = None,
) -> list[Booking]:
    """Cancel the still active ones among ``bookings`` and return them; one action-log entry
    each, with ``reason``."""
    now = now or timezone.now()
    chosen = list(
        Booking.objects.filter(pk__in=[b.pk for b in bookings], status__in=ACTIVE_STATUSES)
        .select_related("product__service", "child")
        .order_by("pk")
    )
    invoiced = {
        (b.product.service_id, b.date)
        for b in chosen
        if invoiced_run(municipality=b.municipality_id, service=b.product.service_id, day=b.date)
    }
    chosen = [b for b in chosen if (b.product.service_id, b.date) not in invoiced]
    if not chosen:
        return []
    ledger = lock_product_days([(b.product, b.date) for b in chosen], now=now)
    locked = Booking.objects.select_for_update().in_bulk([b.pk for b in chosen])
    cancelled = []
    for booking in chosen:
        fresh = locked.get(booking.pk)
        if fresh is None or fresh.status not in ACTIVE_STATUSES:
            continue  # cancelled meanwhile
        fresh.product, fresh.child = booking.product, booking.child
        before = fresh.status
        booking_transition(fresh, BookingStatus.CANCELLED, ledger=ledger)
        action_record(
            municipality_id=fresh.municipality_id,
            actor=actor,
            action="booking.closure_cancel",
            obj=fresh,
            changes={"status": [before, BookingStatus.CANCELLED], "reason": ["", reason]},
        )
        cancelled.append(fresh)
    ledger.flush()
    if cancelled:
        cancellations_settle(cancelled)
    return cancelled
