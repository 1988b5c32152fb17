"""Agent decisions on bookings and cancellations of services that require approval. The family
is e-mailed the decision; a refused cancellation keeps the booking, an accepted one frees the
place (and the waiting list gets it)."""

from __future__ import annotations

from django.db import transaction

from .emails import send_decision_email
from .locking import lock_product_days
from .models import Booking, BookingStatus
from .transitions import IllegalTransition, booking_transition
from .waiting_list import promote_waiting_lists


class DecisionError(Exception):
    pass


@transaction.atomic
def booking_decide(*, booking: Booking, accept: bool) -> Booking:
    lock_product_days([(booking.product_id, booking.date)])
    booking = (
        Booking.objects.select_for_update()
        .select_related("product__service", "child__household")
        .get(pk=booking.pk)
    )
    if booking.status == BookingStatus.REQUESTED:
        cancellation = False
        to = BookingStatus.VALIDATED if accept else BookingStatus.REFUSED
    elif booking.status == BookingStatus.CANCEL_REQUESTED:
        cancellation = True
        to = BookingStatus.CANCELLED if accept else BookingStatus.VALIDATED
    else:
        raise DecisionError("Nothing awaits a decision on this booking.")
    try:
        booking_transition(booking, to)
    except IllegalTransition as error:  # pragma: no cover - guarded above
        raise DecisionError(str(error)) from error
    if to in (BookingStatus.CANCELLED, BookingStatus.REFUSED) and booking.product.capacity:
        promote_waiting_lists([(booking.product, booking.date)])
    send_decision_email(booking=booking, accepted=accept, cancellation=cancellation)
    return booking
