"""The invoice of a prepaid cart: one invoice per payment, numbered by the régie's gapless
sequence (``billing.numbering``).

Most backends get it once the payment is confirmed: a refusal never takes a number. PayFiP
(``PRENUMBERED_BACKENDS``) must receive the invoice number itself as its "référence de la
dette", so its invoice is issued and numbered when the payment is created, in the transaction
that holds the places. When that payment fails (refused, cancelled, expired, provider error)
the invoice is cancelled by a credit note ("avoir") of its whole amount, used at once on the
invoice itself: the number stays in the sequence (no gap), the invoice's balance is nil, the
family is owed nothing and "Mes factures" no longer lists it (status "annulée"). That is what
a French treasury expects of an invoice that must not be paid: never deleted, never renumbered,
cancelled by an avoir. The other way considered — a separate "commande" sequence sent to
PayFiP — would send PayFiP a number that is not the invoice's, against its rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.billing.balances import invoice_balance
from espacefamille.billing.credits import credit_note_issue, credit_note_use
from espacefamille.billing.drafting import guardian_address, guardian_label, invoice_recipient
from espacefamille.billing.models import (
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    SequenceKind,
)
from espacefamille.billing.numbering import numbers_take
from espacefamille.catalog.models import Product
from espacefamille.households.models import Child, Guardian

from .models import Payment, PaymentKind
from .providers import PRENUMBERED_BACKENDS

ZERO = Decimal("0.00")

# A prepaid item: (child id, product, day).
Item = tuple[int, Product, date]


def prenumbered(payment: Payment) -> bool:
    """Whether this cart payment's invoice is numbered before the payment (PayFiP)."""
    return payment.kind == PaymentKind.CART and payment.backend in PRENUMBERED_BACKENDS


def prepaid_items(payment: Payment) -> list[Item]:
    products = Product.objects.in_bulk({product_id for _c, product_id, _d in payment.held_items})
    return [
        (child_id, products[product_id], date.fromisoformat(day))
        for child_id, product_id, day in payment.held_items
    ]


@transaction.atomic
def prepaid_invoice_issue(*, payment: Payment, items: list[Item]) -> Invoice:
    """Issue the numbered invoice of ``items`` (unpaid: the caller settles it)."""
    today = timezone.localdate()
    (number,) = numbers_take(
        service=payment.service, year=today.year, kind=SequenceKind.INVOICE, count=1
    )
    recipient = invoice_recipient(list(Guardian.objects.filter(household=payment.household)))
    names = {
        child.pk: f"{child.first_name} {child.last_name}"
        for child in Child.objects.filter(pk__in={child_id for child_id, _p, _d in items})
    }
    days = [day for _child, _product, day in items]
    invoice = Invoice.objects.create(
        municipality_id=payment.municipality_id,
        service=payment.service,
        household=payment.household,
        recipient=recipient,
        recipient_name=guardian_label(recipient, str(payment.household)),
        recipient_address=guardian_address(recipient),
        period_start=min(days, default=today),
        period_end=max(days, default=today),
        status=InvoiceStatus.FINAL,
        number=number,
        issued_on=today,
        due_on=today,
        total=sum((product.unit_price for _child, product, _day in items), ZERO),
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                municipality_id=payment.municipality_id,
                invoice=invoice,
                child_id=child_id,
                child_name=names.get(child_id, ""),
                product=product,
                product_name=product.name,
                date=day,
                kind=LineKind.BOOKED_PRESENT,
                unit_price=product.unit_price,
                amount=product.unit_price,
            )
            for child_id, product, day in sorted(items, key=lambda item: (item[0], item[2]))
        ]
    )
    return invoice


def invoice_prenumber(*, payment: Payment) -> None:
    """For a PayFiP cart payment just created: issue its invoice now (its number is what PayFiP
    receives). Call it in the transaction that created the payment."""
    if not prenumbered(payment) or payment.invoice_id is not None:
        return
    payment.invoice = prepaid_invoice_issue(payment=payment, items=prepaid_items(payment))
    payment.save(update_fields=["invoice"])


@transaction.atomic
def prenumbered_invoice_cancel(*, payment: Payment) -> bool:
    """Cancel the pre-numbered invoice of a cart payment that will not be paid: a credit note
    of what is left to pay, used on the invoice itself, and the status "annulée". Does nothing
    to an invoice already (partly) paid, or to one issued after a payment."""
    if not prenumbered(payment) or payment.invoice_id is None:
        return False
    invoice = Invoice.objects.select_for_update().filter(pk=payment.invoice_id).first()
    if invoice is None or invoice.status != InvoiceStatus.FINAL:
        return False
    due = invoice_balance(invoice=invoice)
    if due != invoice.total:
        return False
    if due > 0:
        note = credit_note_issue(
            household=payment.household,
            service=payment.service,
            amount=due,
            invoice=invoice,
            reason=_("Annulation de la facture %(number)s : paiement non abouti")
            % {"number": invoice.number},
        )
        credit_note_use(note=note, invoice=invoice, amount=due)
    Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.CANCELLED)
    return True


def live_prenumbered_invoice(payment: Payment) -> Invoice | None:
    """The pre-numbered invoice a confirmed payment settles, unless it was cancelled (a "paid"
    arriving after an expiry: a new invoice is issued then)."""
    if not prenumbered(payment) or payment.invoice_id is None:
        return None
    invoice = Invoice.objects.filter(pk=payment.invoice_id).first()
    if invoice is None or invoice.status != InvoiceStatus.FINAL:
        return None
    return invoice
