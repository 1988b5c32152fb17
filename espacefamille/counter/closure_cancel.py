"""The town closes days that families had booked (a strike, a closed school): every active
booking of those days is cancelled at once, whatever the deadlines (the town cancels, not the
family), and what was paid for them is given back as for any cancellation (``settle``). A day
already invoiced for good is left as it is (a correction there is a credit note). No waiting
list is promoted: the day is closed, its waiting list is closed and its held places freed.

The work is done in bulk: a fixed number of statements per product-day (the UPDATE of the
bookings, the action log in batched inserts, the ledger in one statement), whatever the number
of bookings, so a strike day of 5,000 meals closes in one short transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from espacefamille.audit.records import Actor, actions_record
from espacefamille.billing.models import InvoiceRun, RunState
from espacefamille.bookings.locking import Ledger, lock_product_days
from espacefamille.bookings.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    PlaceHold,
    WaitingListEntry,
    WaitingStatus,
)
from espacefamille.bookings.transitions import bookings_close
from espacefamille.catalog.models import Product
from espacefamille.payments.cancellations import cancellations_settle

Key = tuple[int, date]
CHUNK = 5000


@dataclass
class ClosureCancellation:
    """What closing some product-days did."""

    cancelled: list[Booking] = field(default_factory=list)
    released_holds: int = 0
    closed_waiting: int = 0


def invoiced_keys(bookings: Iterable[Booking]) -> set[tuple[int, date]]:
    """The (service id, month) of ``bookings`` that a final run already invoiced, in one
    query."""
    pairs = {(b.product.service_id, b.date.replace(day=1)) for b in bookings}
    if not pairs:
        return set()
    runs = InvoiceRun.objects.filter(
        state=RunState.FINAL,
        service_id__in={service for service, _month in pairs},
        month__in={month for _service, month in pairs},
    ).values_list("service_id", "month")
    return set(runs) & pairs


@transaction.atomic
def product_days_close(
    *,
    bookings: list[Booking],
    holds: Iterable[PlaceHold] = (),
    waiting: Iterable[WaitingListEntry] = (),
    actor: Actor,
    reason: str,
    closure_id: int | None = None,
    now: datetime | None = None,
) -> ClosureCancellation:
    """Cancel the still active ones among ``bookings`` (one action-log entry each, with
    ``reason``), free ``holds`` and withdraw ``waiting``, under the ledger's locks."""
    now = now or timezone.now()
    active = Booking.objects.filter(status__in=ACTIVE_STATUSES)
    chosen = [
        booking
        for ids in _chunks([b.pk for b in bookings])
        for booking in active.filter(pk__in=ids).select_related("product__service", "child")
    ]
    invoiced = invoiced_keys(chosen)
    chosen = [b for b in chosen if (b.product.service_id, b.date.replace(day=1)) not in invoiced]
    holds, waiting = list(holds), list(waiting)
    products = {b.product_id: b.product for b in chosen} | {h.product_id: h.product for h in holds}
    keys: set[Key] = {(b.product_id, b.date) for b in chosen} | {
        (h.product_id, h.date) for h in holds
    }
    if not keys and not waiting:
        return ClosureCancellation()
    ledger = lock_product_days([(products[pk], day) for pk, day in sorted(keys)], now=now)
    locked = {
        b.pk: b
        for ids in _chunks([b.pk for b in chosen])
        for b in Booking.objects.select_for_update()
        .filter(pk__in=ids)
        .only("pk", "status", "product_id", "date")
        .order_by("pk")
    }
    still_active = []
    for booking in chosen:
        fresh = locked.get(booking.pk)
        if fresh is None or fresh.status not in ACTIVE_STATUSES:
            continue  # cancelled meanwhile
        booking.status = fresh.status
        still_active.append(booking)
    befores = {b.pk: b.status for b in still_active}
    cancelled = bookings_close(still_active, closure_id=closure_id, reason=reason, ledger=ledger)
    outcome = ClosureCancellation(cancelled=cancelled)
    outcome.released_holds = _release_holds(holds, products, ledger) + ledger.released_holds
    ledger.flush()
    outcome.closed_waiting = WaitingListEntry.objects.filter(
        pk__in=[e.pk for e in waiting], status=WaitingStatus.WAITING
    ).update(status=WaitingStatus.WITHDRAWN)
    by_status: dict[str, list[Booking]] = {}
    for booking in cancelled:
        by_status.setdefault(befores[booking.pk], []).append(booking)
    for before, group in sorted(by_status.items()):
        actions_record(
            municipality_id=group[0].municipality_id,
            actor=actor,
            action="booking.closure_cancel",
            objects=group,
            changes={"status": [before, BookingStatus.CANCELLED], "reason": ["", reason]},
        )
    if cancelled:
        cancellations_settle(cancelled)
    return outcome


def _chunks(ids: list[int]) -> list[list[int]]:
    """Ids in sorted slices that stay under SQLite's limit of parameters per statement."""
    ordered = sorted(ids)
    return [ordered[start : start + CHUNK] for start in range(0, len(ordered), CHUNK)]


def _release_holds(holds: list[PlaceHold], products: dict[int, Product], ledger: Ledger) -> int:
    """Free the held places still there (an expired one may be gone already)."""
    still = set(PlaceHold.objects.filter(pk__in=[h.pk for h in holds]).values_list("pk", flat=True))
    for hold in holds:
        if hold.pk in still:
            ledger.adjust(products[hold.product_id], hold.date, -1)
    PlaceHold.objects.filter(pk__in=still).delete()
    return len(still)


@transaction.atomic
def bookings_cancel_for_closure(
    *,
    bookings: list[Booking],
    actor: Actor,
    reason: str,
    now: datetime | None = None,
) -> list[Booking]:
    """Cancel the still active ones among ``bookings`` and return them; one action-log entry
    each, with ``reason``."""
    return product_days_close(bookings=bookings, actor=actor, reason=reason, now=now).cancelled
