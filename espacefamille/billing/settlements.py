"""Counter payments ("règlements au guichet"): cash, cheque, CESU or transfer, against one or
several invoices of a household and régie, partially or wholly. Online payments (the
``payments`` app) will allocate to invoices the same way."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.catalog.models import Service
from espacefamille.core.money import to_amount
from espacefamille.households.models import Household

from .balances import invoice_balance
from .errors import BillingError, BillingReason
from .models import Allocation, Invoice, InvoiceStatus, Settlement, SettlementMethod

if TYPE_CHECKING:
    from espacefamille.accounts.models import User

COUNTER_METHODS = (
    SettlementMethod.CASH,
    SettlementMethod.CHEQUE,
    SettlementMethod.CESU,
    SettlementMethod.TRANSFER,
)
# Also recorded through ``settlement_record``: a SEPA debit the régie collects (directdebit).
RECORDED_METHODS = (*COUNTER_METHODS, SettlementMethod.DIRECT_DEBIT)


@transaction.atomic
def settlement_record(
    *,
    household: Household,
    service: Service,
    method: str,
    amount: Decimal,
    invoices: list[Invoice],
    parts: list[Decimal] | None = None,
    received_at: datetime | None = None,
    reference: str = "",
    user: User | None = None,
) -> Settlement:
    """Record a payment. Without ``parts`` the amount pays the invoices in the given order, each
    up to its balance; with ``parts`` each invoice receives its part. Every part must fit the
    invoice's balance and the parts must add up to the amount: an overpayment is refused
    rather than silently kept."""
    if method not in RECORDED_METHODS:
        raise BillingError(BillingReason.UNKNOWN_METHOD, _("Mode de règlement inconnu."))
    total = to_amount(amount)
    if total <= 0:
        raise BillingError(BillingReason.AMOUNT_NOT_POSITIVE, _("Le montant doit être positif."))
    if not invoices:
        raise BillingError(BillingReason.NO_INVOICE_CHOSEN, _("Choisissez au moins une facture."))
    locked = {
        invoice.pk: invoice
        for invoice in Invoice.objects.select_for_update().filter(
            pk__in=[invoice.pk for invoice in invoices]
        )
    }
    ordered = [locked[invoice.pk] for invoice in invoices if invoice.pk in locked]
    for invoice in ordered:
        if (
            invoice.household_id != household.pk
            or invoice.service_id != service.pk
            or invoice.status != InvoiceStatus.FINAL
        ):
            raise BillingError(
                BillingReason.NOT_AN_ISSUED_INVOICE,
                _("Une facture choisie n'est pas une facture émise de ce foyer."),
            )
    balances = [invoice_balance(invoice=invoice) for invoice in ordered]
    if parts is None:
        left, shares = total, []
        for balance in balances:
            share = min(left, balance)
            shares.append(share)
            left -= share
    else:
        if len(parts) != len(ordered):
            raise BillingError(BillingReason.PARTS_MISMATCH, _("Indiquez un montant par facture."))
        shares = [to_amount(part) for part in parts]
    if any(share < 0 or share > balance for share, balance in zip(shares, balances, strict=True)):
        raise BillingError(
            BillingReason.OVERPAYMENT, _("Un montant dépasse le reste à payer de sa facture.")
        )
    if sum(shares, Decimal("0.00")) != total:
        raise BillingError(
            BillingReason.OVERPAYMENT if parts is None else BillingReason.PARTS_MISMATCH,
            _("Le montant dépasse le reste à payer des factures choisies.")
            if parts is None
            else _("La somme des montants par facture doit égaler le montant reçu."),
        )
    settlement = Settlement.objects.create(
        municipality_id=household.municipality_id,
        service=service,
        household=household,
        method=method,
        amount=total,
        received_at=received_at or timezone.now(),
        reference=reference,
        recorded_by=user,
    )
    Allocation.objects.bulk_create(
        [
            Allocation(
                municipality_id=household.municipality_id,
                settlement=settlement,
                invoice=invoice,
                amount=share,
            )
            for invoice, share in zip(ordered, shares, strict=True)
            if share > 0
        ]
    )
    return settlement


@transaction.atomic
def settlement_cancel(*, settlement: Settlement) -> list[int]:
    """Undo a settlement that never reached the régie (a returned direct debit): its
    allocations go, so its invoices are unpaid again. Returns the invoices' ids. The caller
    keeps the history (the returned debit) and writes the action log."""
    locked = Settlement.objects.select_for_update().filter(pk=settlement.pk).first()
    if locked is None:
        return []
    if locked.method != SettlementMethod.DIRECT_DEBIT:
        raise BillingError(
            BillingReason.NOT_A_DEBIT, _("Seul un prélèvement rejeté peut être annulé.")
        )
    invoice_ids = list(locked.allocations.values_list("invoice_id", flat=True))
    locked.allocations.all().delete()
    locked.delete()
    return invoice_ids
