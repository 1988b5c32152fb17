"""What a payment's outcome does, in the transaction that holds the payment's row lock.

Paid cart: its holds become bookings and its postpaid lines are validated with them, all or
nothing; a paid invoice is issued (one invoice per payment, numbered by the régie; PayFiP's
was numbered when the payment was created: ``prepaid_invoices``) and settled by the payment
and the credit used. If the places are gone (a hold expired and somebody took
the place) or a postpaid line is now refused, nothing is booked and the money paid becomes a
credit note ("avoir") of the régie, used first on the family's next cart or invoice: a refund
by card would need the provider's refund API, which not every backend offers (PayFiP has
none). Paid invoice: a settlement allocated to it. Any other outcome releases the holds."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from espacefamille.billing.balances import invoice_balance
from espacefamille.billing.credits import credit_note_issue, credits_apply
from espacefamille.billing.models import (
    Invoice,
)
from espacefamille.bookings.errors import BookingError
from espacefamille.bookings.holds import holds_release
from espacefamille.bookings.models import Booking, PlaceHold
from espacefamille.bookings.prepaid import holds_convert
from espacefamille.payments.cancellations import cart_validate

from .errors import PaymentError, PaymentReason
from .invoice_batches import invoices_settle, payment_allocate
from .models import Payment, PaymentKind, PaymentState
from .prepaid_invoices import (
    live_prenumbered_invoice,
    prenumbered_invoice_cancel,
    prepaid_invoice_issue,
    prepaid_items,
)

ZERO = Decimal("0.00")


def payment_fulfil(*, payment: Payment) -> None:
    """Apply a payment that has just become paid (the caller holds its row lock)."""
    if payment.kind == PaymentKind.INVOICE:
        assert payment.invoice is not None
        _settle(payment, payment.invoice)
        return
    if payment.kind == PaymentKind.INVOICES:
        invoices_settle(payment=payment)
        return
    try:
        with transaction.atomic():
            booked = _book(payment)
            invoice = _issue_invoice(payment, booked)
    except (BookingError, PaymentError) as error:
        # Rolls the bookings back; the payment keeps its state and the money becomes a credit.
        message = error.message or _("Les places ne sont plus disponibles.")
        _credit_instead(payment, message)
        return
    payment.invoice = invoice
    payment.outcome = _("Paiement accepté : vos réservations sont validées.")
    payment.save(update_fields=["invoice", "outcome"])
    _settle(payment, invoice)


FAILURES = {
    PaymentState.REFUSED: gettext_lazy("La banque n'a pas accepté le paiement."),
    PaymentState.CANCELLED: gettext_lazy("Le paiement a été annulé."),
    PaymentState.EXPIRED: gettext_lazy("Le délai de paiement est dépassé."),
    PaymentState.ERROR: gettext_lazy("Le paiement n'a pas abouti."),
}


def failure_message(payment: Payment) -> str:
    """Why nothing happened, as the family reads it on the payment's page."""
    why = str(FAILURES.get(PaymentState(payment.state), FAILURES[PaymentState.ERROR]))
    if payment.kind == PaymentKind.CART:
        return (
            why
            + " "
            + _("Rien n'a été réservé ni payé ; votre panier est intact, vous pouvez réessayer.")
        )
    return why + " " + _("Rien n'a été payé ; vous pouvez réessayer.")


def payment_release(*, payment: Payment) -> int:
    """Give back the places of a payment that failed, was cancelled or expired."""
    if payment.kind != PaymentKind.CART:
        return 0
    prenumbered_invoice_cancel(payment=payment)
    holds = PlaceHold.objects.filter(household=payment.household, reference=payment.reference)
    return holds_release(holds=list(holds.select_related("product")))


def _book(payment: Payment) -> list[Booking]:
    now = timezone.now()
    booked = holds_convert(
        household=payment.household,
        reference=payment.reference,
        items=prepaid_items(payment),
        user=payment.created_by,
        now=now,
    )
    if payment.cart_line_ids:
        result = cart_validate(
            household=payment.household,
            user=payment.created_by,
            now=now,
            line_ids=list(payment.cart_line_ids),
        )
        if not result.ok:
            raise PaymentError(
                PaymentReason.CART_LINE_INVALID, _("Une ligne du panier n'est plus valable.")
            )
    return booked


def _issue_invoice(payment: Payment, booked: list[Booking]) -> Invoice:
    """The pre-numbered invoice (PayFiP) when there is a live one, else a new one."""
    found = live_prenumbered_invoice(payment)
    if found is not None:
        return found
    items = [(booking.child_id, booking.product, booking.date) for booking in booked]
    return prepaid_invoice_issue(payment=payment, items=items)


def _settle(payment: Payment, invoice: Invoice) -> None:
    """The money paid first, then the household's credits; a surplus (the invoice was paid at
    the counter meanwhile) becomes a credit note rather than vanishing."""
    Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
    due = invoice_balance(invoice=invoice)
    paid = min(payment.amount, max(due, ZERO))
    payment_allocate(payment=payment, parts=[(invoice, paid)] if paid > 0 else [])
    if payment.credit_used > 0:
        credits_apply(invoice=invoice)


def _credit_instead(payment: Payment, message: str) -> None:
    payment_release(payment=payment)
    if payment.amount > 0:
        credit_note_issue(
            household=payment.household,
            service=payment.service,
            amount=payment.amount,
            reason=_("Paiement %(ref)s : réservation impossible") % {"ref": payment.reference},
        )
    payment.outcome = _(
        "%(why)s Rien n'a été réservé ; le montant payé est porté en avoir sur votre compte."
    ) % {"why": message}
    payment.save(update_fields=["outcome"])
