"""Credit notes ("avoirs"): issued by an agent (a correction, a refund owed), then used first
on the household's next invoices of the same régie."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.catalog.models import Service
from espacefamille.core.money import to_amount
from espacefamille.households.models import Household

from .balances import invoice_balance, open_credit_notes
from .errors import BillingError, BillingReason
from .models import (
    Allocation,
    CreditNote,
    Invoice,
    InvoiceStatus,
    SequenceKind,
    Settlement,
    SettlementMethod,
)
from .numbering import numbers_take

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@transaction.atomic
def credit_note_issue(
    *,
    household: Household,
    service: Service,
    amount: Decimal,
    reason: str,
    invoice: Invoice | None = None,
    user: User | None = None,
    issued_on: date | None = None,
) -> CreditNote:
    """Issue a numbered credit note. Correcting an invoice never exceeds what it billed."""
    value = to_amount(amount)
    if value <= 0:
        raise BillingError(
            BillingReason.AMOUNT_NOT_POSITIVE, _("Le montant d'un avoir doit être positif.")
        )
    if invoice is not None:
        if invoice.household_id != household.pk or invoice.status != InvoiceStatus.FINAL:
            raise BillingError(
                BillingReason.NOT_AN_ISSUED_INVOICE,
                _("Un avoir ne corrige qu'une facture émise de ce foyer."),
            )
        credited = CreditNote.objects.filter(invoice=invoice).aggregate(total=Sum("amount"))
        if (credited["total"] or 0) + value > invoice.total:
            raise BillingError(
                BillingReason.CREDIT_EXCEEDS_INVOICE,
                _("Les avoirs dépasseraient le montant de la facture."),
            )
    day = issued_on or timezone.localdate()
    (number,) = numbers_take(service=service, year=day.year, kind=SequenceKind.CREDIT_NOTE, count=1)
    return CreditNote.objects.create(
        municipality_id=household.municipality_id,
        service=service,
        household=household,
        invoice=invoice,
        number=number,
        amount=value,
        reason=reason,
        issued_on=day,
        created_by=user,
    )


def households_with_credit(*, service: Service) -> set[int]:
    """Households that may have credit left in the régie (one query; the exact remainder is
    computed per household when it is used)."""
    return set(CreditNote.objects.filter(service=service).values_list("household_id", flat=True))


def credit_note_use(*, note: CreditNote, invoice: Invoice, amount: Decimal) -> Settlement:
    """Use ``amount`` of ``note`` on ``invoice``: a "credit" settlement allocated to it (the
    caller holds the invoice's row lock and checked both balances)."""
    settlement = Settlement.objects.create(
        municipality_id=invoice.municipality_id,
        service_id=invoice.service_id,
        household_id=invoice.household_id,
        method=SettlementMethod.CREDIT,
        amount=amount,
        reference=note.number,
        credit_note=note,
    )
    Allocation.objects.create(
        municipality_id=invoice.municipality_id,
        settlement=settlement,
        invoice=invoice,
        amount=amount,
    )
    return settlement


@transaction.atomic
def credits_apply(*, invoice: Invoice) -> Decimal:
    """Use the household's open credits of the invoice's régie on it, oldest first; returns the
    amount used. Each use is a settlement of method "avoir" allocated to the invoice."""
    Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
    due = invoice_balance(invoice=invoice)
    used = Decimal("0.00")
    for note, left in open_credit_notes(household=invoice.household, service=invoice.service):
        if due <= 0:
            break
        part = min(left, due)
        credit_note_use(note=note, invoice=invoice, amount=part)
        due -= part
        used += part
    return used
