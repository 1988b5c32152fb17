"""The one place a booking's state changes: illegal moves are refused, repeats ignored."""

from __future__ import annotations

from django.utils import timezone

from .models import Booking, BookingStatus

S = BookingStatus
ALLOWED: dict[str, set[str]] = {
    S.REQUESTED: {S.VALIDATED, S.REFUSED, S.CANCELLED},
    S.VALIDATED: {S.CANCEL_REQUESTED, S.CANCELLED},
    S.CANCEL_REQUESTED: {S.CANCELLED, S.VALIDATED},
    S.CANCELLED: set(),
    S.REFUSED: set(),
}


class IllegalTransition(Exception):
    pass


def booking_transition(booking: Booking, to: str, *, save: bool = True) -> bool:
    """Move ``booking`` to ``to``. Returns False (and changes nothing) when it is already
    there; raises ``IllegalTransition`` for a move the state machine does not allow."""
    if booking.status == to:
        return False
    if to not in ALLOWED[booking.status]:
        raise IllegalTransition(f"{booking.status} → {to}")
    booking.status = to
    booking.updated_at = timezone.now()
    if save:
        booking.save(update_fields=["status", "updated_at"])
    return True
