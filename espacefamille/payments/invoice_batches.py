"""One payment for several invoices ("Payer la sélection", "Tout payer").

What may be paid together is decided here, whatever the page sent: the household's own issued
invoices with something left to pay, all of one régie. One régie because a settlement
("règlement") is the money one régie received (``billing.Settlement``) and the régie's provider
is where that money lands: invoices of two régies are refused with a message, never split into
two payments behind the family's back. A provider that takes one invoice per payment (PayFiP:
the invoice number is its "référence de la dette") is refused for more than one invoice.

Each invoice is paid its remaining balance, computed here when the payment is created and kept
on ``PaymentInvoice.balance``: the most that invoice may receive from this payment. When the
payment is confirmed (once, under the payment's row lock: ``notifications._apply``),
``invoices_settle`` locks the invoices in primary-key order and gives each what it still owes,
at most its recorded balance: an invoice paid meanwhile (at the counter, or alone online while
this payment was pending) receives nothing more, and the money it would have taken becomes a
credit note ("avoir") of the régie, as for a single invoice (``fulfilment._settle``). One
settlement, one allocation per invoice, in the payment's transaction: all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.billing.balances import credit_balance, invoice_balance
from espacefamille.billing.credits import credit_note_issue, credits_apply
from espacefamille.billing.models import (
    Allocation,
    Invoice,
    InvoiceStatus,
    Settlement,
    SettlementMethod,
)
from espacefamille.catalog.models import Service
from espacefamille.core.money import format_euros
from espacefamille.households.models import Household

from .errors import PaymentError, PaymentReason
from .models import Payment, PaymentInvoice
from .providers import PRENUMBERED_BACKENDS, provider_for

ZERO = Decimal("0.00")
MOST_INVOICES = 60  # a batch larger than any family's open invoices is not a family's


@dataclass(frozen=True)
class InvoiceBatch:
    """The invoices chosen, each with what is left to pay on it, and the sums shown before
    paying: the total, the régie's credit used first, what the bank is asked for."""

    service: Service
    invoices: list[tuple[Invoice, Decimal]]
    total: Decimal
    credit: Decimal

    @property
    def amount(self) -> Decimal:
        return self.total - self.credit


def invoice_batch(
    *, household: Household, invoice_ids: Iterable[int], lock: bool = False
) -> InvoiceBatch:
    """Check what the family chose and compute what it owes. ``lock``: take the invoices' row
    locks (in primary-key order), inside the caller's transaction. Raises ``PaymentError``."""
    wanted = sorted(set(invoice_ids))
    if not wanted:
        raise PaymentError(
            PaymentReason.NO_INVOICE_CHOSEN, _("Choisissez au moins une facture à payer.")
        )
    if len(wanted) > MOST_INVOICES:
        raise PaymentError(
            PaymentReason.NOT_YOUR_INVOICE, _("Ces factures ne sont pas toutes les vôtres.")
        )
    found = Invoice.objects.filter(pk__in=wanted, household=household).select_related("service")
    if lock:
        found = found.select_for_update(of=("self",))
    invoices = list(found.order_by("pk"))
    if len(invoices) != len(wanted):
        raise PaymentError(
            PaymentReason.NOT_YOUR_INVOICE, _("Ces factures ne sont pas toutes les vôtres.")
        )
    services = {invoice.service_id: invoice.service for invoice in invoices}
    if len(services) > 1:
        names = ", ".join(sorted(service.name for service in services.values()))
        raise PaymentError(
            PaymentReason.SEVERAL_REGIES,
            _(
                "Ces factures relèvent de régies différentes (%(names)s) : payez ensemble les "
                "factures d'une même régie, puis les autres."
            )
            % {"names": names},
        )
    rows = []
    for invoice in invoices:  # oldest first: the money goes to them first
        issued = invoice.status == InvoiceStatus.FINAL
        balance = invoice_balance(invoice=invoice) if issued else ZERO
        if balance <= 0:
            raise PaymentError(
                PaymentReason.NOTHING_TO_PAY,
                _("La facture %(number)s n'a plus rien à payer.") % {"number": invoice.number},
            )
        rows.append((invoice, balance))
    (service,) = services.values()
    total = sum((balance for _invoice, balance in rows), ZERO)
    credit = min(max(credit_balance(household=household, service=service), ZERO), total)
    if len(rows) > 1:
        _provider_takes_several(service, total - credit)
    return InvoiceBatch(service=service, invoices=rows, total=total, credit=credit)


def _provider_takes_several(service: Service, amount: Decimal) -> None:
    provider = provider_for(service=service) if amount > 0 else None
    if provider is not None and provider.backend in PRENUMBERED_BACKENDS:
        raise PaymentError(
            PaymentReason.ONE_INVOICE_PER_PAYMENT,
            _(
                "Le service de paiement de cette régie n'accepte qu'une facture par paiement : "
                "payez vos factures une par une."
            ),
        )


def batch_rows_record(*, payment: Payment, batch: InvoiceBatch) -> None:
    """Write which invoices ``payment`` pays, in the transaction that created it."""
    PaymentInvoice.objects.bulk_create(
        [
            PaymentInvoice(
                municipality_id=payment.municipality_id,
                payment=payment,
                invoice=invoice,
                balance=balance,
            )
            for invoice, balance in batch.invoices
        ]
    )


def invoices_settle(*, payment: Payment) -> None:
    """Settle the invoices of a payment that has just become paid (the caller holds the
    payment's row lock, so this runs once per payment; see the module's docstring)."""
    rows = list(
        PaymentInvoice.objects.filter(payment=payment)
        .select_related("invoice", "invoice__household", "invoice__service")
        .order_by("invoice_id")
    )
    invoice_ids = [row.invoice_id for row in rows]
    list(Invoice.objects.select_for_update().filter(pk__in=invoice_ids).order_by("pk"))
    remaining = payment.amount
    parts: list[tuple[Invoice, Decimal]] = []
    for row in rows:
        due = max(invoice_balance(invoice=row.invoice), ZERO)
        part = min(remaining, due, row.balance)
        if part > 0:
            parts.append((row.invoice, part))
            remaining -= part
    left = payment_allocate(payment=payment, parts=parts)
    if payment.credit_used > 0:
        for row in rows:
            credits_apply(invoice=row.invoice)
    payment.outcome = ngettext(
        "Paiement accepté : votre facture est réglée.",
        "Paiement accepté : vos %(count)d factures sont réglées.",
        len(rows),
    ) % {"count": len(rows)}
    if left > 0:
        payment.outcome += " " + _(
            "Une facture avait déjà été réglée : %(amount)s sont portés en avoir sur votre compte."
        ) % {"amount": format_euros(left)}
    payment.save(update_fields=["outcome"])


def payment_allocate(*, payment: Payment, parts: list[tuple[Invoice, Decimal]]) -> Decimal:
    """Record an online payment's money: one settlement allocated to ``parts`` (each invoice
    and what it receives, never more than it owes; the caller holds the invoices' locks), and
    what is left over (an invoice paid meanwhile) as a credit note rather than vanishing.
    Returns what was left over."""
    paid = sum((part for _invoice, part in parts), ZERO)
    if paid > 0:
        settlement = Settlement.objects.create(
            municipality_id=payment.municipality_id,
            service=payment.service,
            household=payment.household,
            method=SettlementMethod.ONLINE,
            amount=paid,
            received_at=payment.paid_at or timezone.now(),
            reference=payment.reference,
        )
        Allocation.objects.bulk_create(
            [
                Allocation(
                    municipality_id=payment.municipality_id,
                    settlement=settlement,
                    invoice=invoice,
                    amount=part,
                )
                for invoice, part in parts
            ]
        )
    left = payment.amount - paid
    if left > 0:
        credit_note_issue(
            household=payment.household,
            service=payment.service,
            amount=left,
            reason=_("Trop-perçu du paiement en ligne %(ref)s") % {"ref": payment.reference},
        )
    return left
