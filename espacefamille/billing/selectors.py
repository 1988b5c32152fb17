"""Reads for "Mes factures": a household's final invoices, open or paid, with what has been
paid computed from the settlements. Drafts are never shown to families."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce

from espacefamille.households.models import Household

from .balances import MONEY_FIELD, ZERO, credit_balance, money_sum, with_paid_amount
from .models import Invoice, InvoiceLine, InvoiceStatus, SettlementMethod


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    paid: Decimal
    last_paid_at: datetime | None

    @property
    def balance(self) -> Decimal:
        return self.invoice.total - self.paid

    @property
    def is_paid(self) -> bool:
        return self.balance <= 0


def _final(household: Household) -> QuerySet[Invoice]:
    return Invoice.objects.filter(household=household, status=InvoiceStatus.FINAL)


def household_invoices(*, household: Household, paid: bool) -> list[InvoiceRow]:
    """ "Factures en cours" (``paid=False``) or "Factures payées", newest first."""
    invoices: QuerySet[Any] = with_paid_amount(_final(household).select_related("service"))
    if paid:
        invoices = invoices.filter(paid_amount__gte=F("total"))
    else:
        invoices = invoices.filter(paid_amount__lt=F("total"))
    return [
        InvoiceRow(invoice, invoice.paid_amount, invoice.last_paid_at)
        for invoice in invoices.order_by("-issued_on", "-pk")
    ]


@dataclass(frozen=True)
class DueInvoice:
    """What the family home shows of an invoice to pay."""

    pk: int
    number: str
    service: str
    due_on: date | None
    balance: Decimal


def household_invoices_due(*, household: Household) -> list[DueInvoice]:
    """The household's final invoices not fully paid, newest first, with what is left to pay:
    one query, the paid amount summed over a join (not two subqueries per invoice as
    ``household_invoices``, which also knows when the last settlement came in)."""
    paid = Coalesce(money_sum("allocations__amount"), Value(ZERO), output_field=MONEY_FIELD)
    rows = (
        _final(household)
        .values_list("pk", "number", "service__name", "due_on", "total")
        .annotate(paid=paid)
        .filter(paid__lt=F("total"))
        .order_by("-issued_on", "-pk")
    )
    return [
        DueInvoice(pk, number, service, due_on, total - paid_amount)
        for pk, number, service, due_on, total, paid_amount in rows
    ]


def household_invoice(*, household: Household, invoice_id: int) -> InvoiceRow:
    """One final invoice of this household; ``Invoice.DoesNotExist`` for anything else."""
    invoices: QuerySet[Any] = with_paid_amount(
        _final(household).select_related("service", "municipality")
    )
    invoice = invoices.get(pk=invoice_id)  # annotated with paid_amount and last_paid_at
    return InvoiceRow(invoice, invoice.paid_amount, invoice.last_paid_at)


def invoice_lines(*, invoice: Invoice) -> list[InvoiceLine]:
    return list(invoice.lines.order_by("child_name", "product_name", "date", "pk"))


def invoice_settlements(*, invoice: Invoice) -> list[tuple[str, Decimal, datetime]]:
    """(method label, amount, received at) of what paid the invoice."""
    labels = dict(SettlementMethod.choices)
    return [
        (str(labels[method]), amount, received_at)
        for method, amount, received_at in invoice.allocations.order_by(
            "settlement__received_at"
        ).values_list("settlement__method", "amount", "settlement__received_at")
    ]


def household_credit(*, household: Household) -> Decimal:
    return credit_balance(household=household)
