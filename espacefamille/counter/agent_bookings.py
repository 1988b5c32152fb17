"""An agent books or cancels a day for a family (at the counter, on the phone).

The same rules as the family's cart apply, under the same product-day locks and capacity
ledger, with one exception the town allows its agents: past the booking or cancellation
deadline the agent may still act, but only with a reason, which is recorded in the action log.
The capacity is never waived: a full day stays full, whoever asks. An agent's booking is
validated at once (the agent is the one who would have approved it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record
from espacefamille.billing.closed_days import invoiced_day_message, invoiced_run
from espacefamille.bookings.context import BookingContext, related_products
from espacefamille.bookings.errors import BookingError, Reason, Refusal
from espacefamille.bookings.locking import lock_product_days
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.bookings.rules import (
    Pending,
    check_add,
    check_cancel,
    check_incompatible,
    flat_rate_span,
)
from espacefamille.bookings.transitions import booking_transition, bookings_create
from espacefamille.bookings.waiting_list import promote_waiting_lists
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.households.custody import child_custody, custody_household_id
from espacefamille.households.models import Child
from espacefamille.payments.cancellations import cancellations_settle

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


def _refuse(refusal: Refusal) -> BookingError:
    return BookingError(refusal.reason, refusal.message)


def _check_past_deadline(ctx: BookingContext, child_id: int, product: Product, day: date) -> None:
    """The checks ``check_add`` makes after the deadline, for a booking whose deadline an
    agent waived: already booked, incompatible, full."""
    if ctx.booking(child_id, product.pk, day) is not None:
        raise BookingError(Reason.ALREADY_BOOKED, _("Cette prestation est déjà réservée."))
    incompatible = check_incompatible(ctx, child_id, product, day, Pending.empty())
    if incompatible is not None:
        raise _refuse(incompatible)
    start = ctx.key_day(product, day)
    capacity = ctx.capacity(product, start)
    if capacity is not None and ctx.taken(product.pk, start) >= capacity:
        raise BookingError(Reason.FULL, _("Complet : il ne reste plus de place ce jour-là."))


@transaction.atomic
def booking_create_for_family(
    *,
    child: Child,
    product: Product,
    day: date,
    actor: User | None,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Raises ``BookingError`` with the rule's reason when the day cannot be booked (past the
    deadline without a reason, full, closed, not enrolled, a day of a final invoicing run)."""
    now = now or timezone.now()
    reason = reason.strip()
    run = invoiced_run(municipality=child.municipality_id, service=product.service_id, day=day)
    if run is not None:
        raise BookingError(Reason.INVOICED, invoiced_day_message(run))
    municipality = Municipality.objects.get(pk=child.municipality_id)
    products = related_products([product])
    product = next(item for item in products if item.pk == product.pk)
    ctx = BookingContext.load(
        municipality=municipality,
        children=[child],
        products=products,
        days=[day],
        now=now,
        places=False,
        attendance=False,
        waiting=False,
    )
    start = ctx.key_day(product, day)
    # A shared child's day goes to the household whose custody day it is (else the first).
    pattern, household_ids = child_custody(child.pk)
    household_id = custody_household_id(pattern, household_ids, start) or child.household_id
    ctx.for_household(household_id)
    ledger = lock_product_days([(product, start)], now=now)
    ctx.use_ledger(ledger)
    refusal = check_add(ctx, child.pk, product, day)
    waived = False
    if refusal is not None:
        if refusal.reason != Reason.PAST_DEADLINE or not reason:
            raise _refuse(refusal)
        _check_past_deadline(ctx, child.pk, product, day)
        waived = True
    end_date = flat_rate_span(product, day, ctx.calendar)[1] if product.is_flat_rate else None
    booking = Booking(
        municipality_id=child.municipality_id,
        household_id=household_id,
        child=child,
        product=product,
        date=start,
        end_date=end_date,
        status=BookingStatus.VALIDATED,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    (booking,) = bookings_create([booking], ledger=ledger)
    ledger.flush()
    changes: dict[str, list[str]] = {"status": ["", BookingStatus.VALIDATED]}
    if reason:
        changes["reason"] = ["", reason]
    if waived:
        changes["deadline_waived"] = ["", "oui"]
    action_record(
        municipality_id=child.municipality_id,
        actor=actor,
        action="booking.agent_create",
        obj=booking,
        changes=changes,
    )
    return booking


@transaction.atomic
def booking_cancel_for_family(
    *,
    booking: Booking,
    actor: User | None,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Cancel at once (no approval: the agent decides). Past the cancellation deadline only
    with a reason; never once the attendance is taken, nor on a day already invoiced for good
    (a correction is a credit note). The freed place goes to the waiting list and what
    was paid for the day is given back (``cancellations_settle``), in the same transaction."""
    now = now or timezone.now()
    reason = reason.strip()
    booking = Booking.objects.select_related("product__service", "child").get(pk=booking.pk)
    product, child = booking.product, booking.child
    run = invoiced_run(
        municipality=booking.municipality_id, service=product.service_id, day=booking.date
    )
    if run is not None:
        raise BookingError(Reason.INVOICED, invoiced_day_message(run))
    ctx = BookingContext.load(
        municipality=Municipality.objects.get(pk=booking.municipality_id),
        children=[child],
        products=[product],
        days=[booking.date],
        now=now,
        places=False,
        attendance=True,
        waiting=False,
    )
    ledger = lock_product_days([(product, booking.date)], now=now)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    booking.product, booking.child = product, child
    if not booking.is_active:
        raise BookingError(
            Reason.NOT_BOOKED, _("Il n'y a pas de réservation à annuler ce jour-là.")
        )
    refusal = check_cancel(ctx, child.pk, product, booking.date)
    if refusal is not None and (refusal.reason != Reason.NOT_CANCELLABLE or not reason):
        raise _refuse(refusal)
    before = booking.status
    booking_transition(booking, BookingStatus.CANCELLED, ledger=ledger)
    promote_waiting_lists([(product, booking.date)], ledger=ledger, now=now)
    ledger.flush()
    changes: dict[str, list[str]] = {"status": [before, BookingStatus.CANCELLED]}
    if reason:
        changes["reason"] = ["", reason]
    if refusal is not None:
        changes["deadline_waived"] = ["", "oui"]
    action_record(
        municipality_id=booking.municipality_id,
        actor=actor,
        action="booking.agent_cancel",
        obj=booking,
        changes=changes,
    )
    cancellations_settle([booking])
    return booking
