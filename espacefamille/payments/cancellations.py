"""A cancelled prepaid booking gives back what its régie's rule says: a credit note ("avoir",
used first on the family's next cart or invoice of the régie), a refund owed by the treasury
(listed for the agents), or nothing. Only what was paid online for that very day is given
back: the line of the paid invoice that booked it. Runs in the cancellation's transaction.

Whoever cancels gets the same: the booking services that cancel take the settlement as a
required ``settle`` argument (bookings/events.py) and call it themselves; the entry points
below, which every front door calls, pass ``cancellations_settle``:

- ``cart_validate``: a family's cart (portal, period wizard, a paid cart's cancel lines);
- ``booking_decide``: an agent accepts a cancellation the régie had to approve.

The counter and closures, above payments, call it themselves
(``counter.agent_bookings``, ``counter.closure_cancel``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from espacefamille.billing.credits import credit_note_issue
from espacefamille.billing.models import InvoiceLine, InvoiceStatus
from espacefamille.bookings import approval, validation
from espacefamille.bookings.models import Booking
from espacefamille.households.models import Household

from .models import CancellationOutcome, CancellationRule, RefundDue

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


def cart_validate(
    *,
    household: Household,
    user: User | None,
    now: datetime | None = None,
    base_url: str | None = None,
    line_ids: list[int] | None = None,
    lines: validation.CartLines | None = None,
) -> validation.ValidationResult:
    return validation.cart_validate(
        household=household,
        user=user,
        now=now,
        base_url=base_url,
        line_ids=line_ids,
        settle=cancellations_settle,
        lines=lines,
    )


def booking_decide(
    *,
    booking: Booking,
    accept: bool,
    actor: User | None = None,
    reason: str = "",
    base_url: str | None = None,
) -> Booking:
    return approval.booking_decide(
        booking=booking,
        accept=accept,
        actor=actor,
        reason=reason,
        base_url=base_url,
        settle=cancellations_settle,
    )


def cancellations_settle(bookings: list[Booking]) -> None:
    prepaid = [booking for booking in bookings if booking.product.service.is_prepaid]
    if not prepaid:
        return
    rules = {
        rule.service_id: rule.outcome
        for rule in CancellationRule.objects.filter(
            service_id__in={booking.product.service_id for booking in prepaid}
        )
    }
    for booking in prepaid:
        outcome = rules.get(booking.product.service_id, CancellationOutcome.NOTHING)
        if outcome == CancellationOutcome.NOTHING:
            continue
        line = (
            InvoiceLine.objects.filter(
                child_id=booking.child_id,
                product_id=booking.product_id,
                date=booking.date,
                invoice__status=InvoiceStatus.FINAL,
                invoice__run__isnull=True,  # issued by a payment, not a monthly run
            )
            .select_related("invoice")
            .order_by("-pk")
            .first()
        )
        if line is None or line.amount <= 0:
            continue
        household = line.invoice.household
        if outcome == CancellationOutcome.CREDIT:
            credit_note_issue(
                household=household,
                service=booking.product.service,
                amount=line.amount,
                invoice=line.invoice,
                reason=_("Annulation du %(day)s (%(product)s)")
                % {"day": booking.date.strftime("%d/%m/%Y"), "product": booking.product.name},
            )
        else:
            RefundDue.objects.get_or_create(
                municipality_id=booking.municipality_id,
                booking=booking,
                defaults={
                    "service": booking.product.service,
                    "household": household,
                    "amount": line.amount,
                },
            )
