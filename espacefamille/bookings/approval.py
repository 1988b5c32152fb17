"""Agent decisions on bookings and cancellations of services that require approval. The
decision goes through the product-day lock and the capacity ledger like any other writer: a
refused booking or an accepted cancellation frees its place, which the waiting list gets in
the same transaction. The family is e-mailed the decision (with the agent's reason) after
commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record
from espacefamille.core.task_queue import task_enqueue_on_commit

from .emails import send_decision_email
from .errors import BookingError, Reason
from .events import SettleCancelled
from .locking import lock_product_days
from .models import Booking, BookingStatus
from .transitions import booking_transition, places_delta
from .waiting_list import promote_waiting_lists

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@transaction.atomic
def booking_decide(
    *,
    booking: Booking,
    accept: bool,
    actor: User | None = None,
    reason: str = "",
    base_url: str | None = None,
    settle: SettleCancelled,
) -> Booking:
    """``actor`` (the agent) and ``reason`` are stored on the booking with the decision, and
    written to the town's action log. An accepted cancellation is given to ``settle``."""
    ledger = lock_product_days([(booking.product, booking.date)])
    booking = (
        Booking.objects.select_for_update()
        .select_related("product__service", "child__household")
        .get(pk=booking.pk)
    )
    before = booking.status
    if before == BookingStatus.REQUESTED:
        cancellation = False
        to = BookingStatus.VALIDATED if accept else BookingStatus.REFUSED
    elif before == BookingStatus.CANCEL_REQUESTED:
        cancellation = True
        to = BookingStatus.CANCELLED if accept else BookingStatus.VALIDATED
    else:
        raise BookingError(
            Reason.NOTHING_TO_DECIDE,
            _("Aucune demande n'attend de décision sur cette réservation."),
        )
    booking_transition(booking, to, ledger=ledger)
    booking.decided_by = actor
    booking.decision_reason = reason[:200]
    booking.save(update_fields=["decided_by", "decision_reason"])
    action_record(
        municipality_id=booking.municipality_id,
        actor=actor,
        action="booking.decide",
        obj=booking,
        changes={"status": [before, to], **({"reason": ["", reason]} if reason else {})},
    )
    if places_delta(before, to) < 0:
        promote_waiting_lists([(booking.product, booking.date)], ledger=ledger)
    ledger.flush()
    if cancellation and to == BookingStatus.CANCELLED:
        settle([booking])
    booking_id, municipality_id = booking.pk, booking.municipality_id
    task_enqueue_on_commit(
        send_decision_email,
        municipality_id=municipality_id,
        booking_id=booking_id,
        accepted=accept,
        cancellation=cancellation,
        reason=reason,
        base_url=base_url,
    )
    return booking
