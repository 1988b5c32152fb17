"""Decisions an agent takes on issued invoices from the back office, each with its action-log
entry in the same transaction: resend an invoice by e-mail, record a counter payment. The
rules stay in ``settlements`` and ``emails``; this module only adds who decided."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record
from espacefamille.core.task_queue import task_enqueue_on_commit

from .balances import invoice_balance
from .emails import invoice_email_address, send_invoice_email
from .errors import BillingError, BillingReason
from .models import Invoice, InvoiceStatus, Settlement
from .settlements import settlement_record

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@transaction.atomic
def invoice_resend(*, invoice: Invoice, user: User) -> str:
    """Queue the invoice's e-mail again (after commit); returns the address it goes to."""
    if invoice.status != InvoiceStatus.FINAL:
        raise BillingError(
            BillingReason.NOT_AN_ISSUED_INVOICE, _("Seule une facture émise peut être renvoyée.")
        )
    address = invoice_email_address(invoice)
    if not address:
        raise BillingError(
            BillingReason.NO_EMAIL_ADDRESS,
            _("Le destinataire de cette facture n'a pas d'adresse e-mail : remettez-la en main."),
        )
    entry = action_record(
        municipality_id=invoice.municipality_id,
        actor=user,
        action="invoice.resend",
        obj=invoice,
    )
    municipality_id, invoice_id, entry_id = invoice.municipality_id, invoice.pk, entry.pk
    # A sending of its own (billing.emails), named by the agent's decision in the action log:
    # the run's e-mail, already sent, does not stop it.
    task_enqueue_on_commit(
        send_invoice_email,
        municipality_id=municipality_id,
        invoice_id=invoice_id,
        resend_entry_id=entry_id,
    )
    return address


@transaction.atomic
def counter_payment_record(
    *,
    invoice: Invoice,
    method: str,
    amount: Decimal,
    received_at: datetime,
    reference: str,
    user: User,
) -> Settlement:
    """A payment received at the counter for one invoice, partial or whole. A cancelled or
    already paid invoice, or more than its balance, is refused and nothing is written."""
    if invoice.status == InvoiceStatus.CANCELLED:
        raise BillingError(
            BillingReason.INVOICE_CANCELLED,
            _("Cette facture est annulée : aucun paiement ne peut y être porté."),
        )
    if invoice.status != InvoiceStatus.FINAL:
        raise BillingError(
            BillingReason.NOT_AN_ISSUED_INVOICE, _("Cette facture n'est pas encore émise.")
        )
    balance = invoice_balance(invoice=invoice)
    if balance <= 0:
        raise BillingError(
            BillingReason.INVOICE_PAID, _("Cette facture est déjà entièrement réglée.")
        )
    if amount > balance:
        raise BillingError(
            BillingReason.OVERPAYMENT,
            _("Le montant dépasse le reste à payer de la facture (%(balance)s €).")
            % {"balance": f"{balance:.2f}".replace(".", ",")},
        )
    settlement = settlement_record(
        household=invoice.household,
        service=invoice.service,
        method=method,
        amount=amount,
        invoices=[invoice],
        received_at=received_at,
        reference=reference,
        user=user,
    )
    action_record(
        municipality_id=invoice.municipality_id,
        actor=user,
        action="settlement.record",
        obj=settlement,
        object_repr=f"{invoice.number} — {settlement.get_method_display()}",
        changes={
            "invoice": invoice.number,
            "method": settlement.method,
            "amount": str(settlement.amount),
            "reference": reference,
        },
    )
    return settlement
