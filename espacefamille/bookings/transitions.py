"""The one place a booking's state changes, and the one place a new booking's first state is
decided: illegal moves are refused, repeats ignored, and every move that takes or frees a place
is written to the capacity ledger the caller has locked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from espacefamille.catalog.models import Product
from espacefamille.core.events import events_emit

from .errors import BookingError, Reason
from .models import ACTIVE_STATUSES, Booking, BookingStatus
from .rows_insert import rows_insert

if TYPE_CHECKING:
    from .locking import Ledger

ALLOWED: dict[str, set[str]] = {
    BookingStatus.REQUESTED: {
        BookingStatus.VALIDATED,
        BookingStatus.REFUSED,
        BookingStatus.CANCELLED,
    },
    BookingStatus.VALIDATED: {BookingStatus.CANCEL_REQUESTED, BookingStatus.CANCELLED},
    BookingStatus.CANCEL_REQUESTED: {BookingStatus.CANCELLED, BookingStatus.VALIDATED},
    BookingStatus.CANCELLED: set(),
    BookingStatus.REFUSED: set(),
}


def initial_status(product: Product) -> BookingStatus:
    """The first state of a new booking, for validation and waiting-list promotion alike."""
    if product.service.booking_requires_approval:
        return BookingStatus.REQUESTED
    return BookingStatus.VALIDATED


def cancellation_status(product: Product, booking: Booking) -> BookingStatus:
    """Where a family's cancellation takes a booking: straight to cancelled, or to a request
    an agent decides when the service asks for it."""
    if product.service.cancellation_requires_approval and booking.status == BookingStatus.VALIDATED:
        return BookingStatus.CANCEL_REQUESTED
    return BookingStatus.CANCELLED


def places_delta(before: str, after: str) -> int:
    """+1 when a move takes a place, −1 when it frees one, 0 otherwise."""
    return int(after in ACTIVE_STATUSES) - int(before in ACTIVE_STATUSES)


def booking_transition(booking: Booking, to: str, *, ledger: Ledger) -> bool:
    """Move ``booking`` to ``to`` and write the place it takes or frees to ``ledger``. Returns
    False (and changes nothing) when it is already there; raises ``BookingError``
    (``ILLEGAL_TRANSITION``) for a move the state machine does not allow. The update is
    conditional on the state read, so a concurrent move of the same booking is refused rather
    than overwritten."""
    if booking.status == to:
        return False
    if to not in ALLOWED[booking.status]:
        raise BookingError(Reason.ILLEGAL_TRANSITION, f"{booking.status} → {to}")
    now = timezone.now()
    moved = Booking.objects.filter(pk=booking.pk, status=booking.status).update(
        status=to, updated_at=now
    )
    if not moved:
        raise BookingError.busy()
    ledger.adjust(booking.product, booking.date, places_delta(booking.status, to))
    booking.status = to
    booking.updated_at = now
    if to == BookingStatus.CANCELLED:
        events_emit(
            municipality_id=booking.municipality_id,
            name="booking.cancelled",
            items=[booking_event(booking)],
        )
    return True


def bookings_close(
    bookings: list[Booking], *, closure_id: int | None, reason: str, ledger: Ledger
) -> list[Booking]:
    """Cancel ``bookings`` because the town closed their day (``reason``: "grève"), in one
    conditional UPDATE per product-day and state left, whatever their number; their places
    are freed in ``ledger``. The caller has locked the days and the rows. The same moves as
    ``booking_transition`` (repeats ignored, illegal moves refused); returns the moved ones."""
    groups: dict[tuple[int, date, str], list[Booking]] = defaultdict(list)
    for booking in bookings:
        if booking.status == BookingStatus.CANCELLED:
            continue
        if BookingStatus.CANCELLED not in ALLOWED[booking.status]:
            raise BookingError(Reason.ILLEGAL_TRANSITION, f"{booking.status} → cancelled")
        groups[(booking.product_id, booking.date, booking.status)].append(booking)
    now = timezone.now()
    moved: list[Booking] = []
    for (_product_id, _day, before), group in sorted(groups.items()):
        ids = [b.pk for b in group]
        count = sum(
            Booking.objects.filter(pk__in=ids[start : start + 5000], status=before).update(
                status=BookingStatus.CANCELLED,
                updated_at=now,
                closure_id=closure_id,
                closure_reason=reason,
            )
            for start in range(0, len(ids), 5000)
        )
        if count != len(group):
            raise BookingError.busy()
        for booking in group:
            ledger.adjust(
                booking.product, booking.date, places_delta(before, BookingStatus.CANCELLED)
            )
            booking.status = BookingStatus.CANCELLED
            booking.updated_at = now
            booking.closure_id = closure_id
            booking.closure_reason = reason
            moved.append(booking)
    return moved


def bookings_create(
    bookings: list[Booking], *, ledger: Ledger, products: Mapping[int, Product] | None = None
) -> list[Booking]:
    """Insert new bookings (their status set by ``initial_status``) and take their places,
    in a few multi-row statements (rows_insert.py). Bookings built with ``product_id`` rather
    than the product: pass their ``products``. A booking built without its household is the
    child's first household's."""
    rows_insert(bookings, returning_ids=True)
    created = list(bookings)
    for booking in created:
        if products is not None:
            booking.product = products[booking.product_id]
        ledger.adjust(booking.product, booking.date, places_delta("", booking.status))
    if created:
        events_emit(
            municipality_id=created[0].municipality_id,
            name="booking.created",
            items=[booking_event(booking) for booking in created],
        )
    return created


def booking_event(booking: Booking) -> dict[str, object]:
    """What a webhook says of a booking: ids, the day, the status (no name, no health data)."""
    return {
        "booking": booking.pk,
        "child": booking.child_id,
        "product": booking.product_id,
        "date": booking.date.isoformat(),
        "status": booking.status,
    }
