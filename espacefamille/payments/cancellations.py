"""A cancelled prepaid booking gives back what its régie's rule says: a credit note ("avoir",
used first on the family's next cart or invoice of the régie), a refund owed by the treasury
(listed for the agents), or nothing. Only what was paid online for that very day is given
back: the line of the paid invoice that booked it. Runs in the cancellation's transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from espacefamille.billing.credits import credit_note_issue
from espacefamille.billing.models import InvoiceLine, InvoiceStatus
from espacefamille.bookings.events import bookings_cancelled
from espacefamille.bookings.models import Booking

from .models import CancellationOutcome, CancellationRule, RefundDue


@receiver(bookings_cancelled, dispatch_uid="payments_cancelled_prepaid_bookings")
def on_bookings_cancelled(sender: Any, bookings: list[Booking], **kwargs: Any) -> None:
    cancellations_settle(bookings=bookings)


def cancellations_settle(*, bookings: list[Booking]) -> None:
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
