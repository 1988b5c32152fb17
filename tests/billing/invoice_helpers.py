"""Invoices made directly for the tests that read what is paid and what is owed (the home's
section, the paid-to-the-cent reads, online payments of invoices): an invoice of October 2026
and its settlements at the counter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from espacefamille.billing.models import (
    Allocation,
    Invoice,
    InvoiceStatus,
    Settlement,
    SettlementMethod,
)
from espacefamille.catalog.models import Service
from espacefamille.households.models import Household


def october_invoice(
    service: Service,
    household: Household,
    number: str,
    total: str,
    *,
    status: str = InvoiceStatus.FINAL,
    issued_on: date = date(2026, 11, 2),
    due_on: date = date(2026, 11, 30),
) -> Invoice:
    return Invoice.objects.create(
        municipality=household.municipality,
        service=service,
        household=household,
        recipient_name="DUPONT",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        status=status,
        number=number,
        issued_on=issued_on,
        due_on=due_on,
        total=Decimal(total),
    )


def pay_in_cash(invoice: Invoice, *amounts: str) -> None:
    """One cash settlement per amount, each allocated wholly to ``invoice``."""
    for amount in amounts:
        pay_at_the_counter(invoice, amount, SettlementMethod.CASH)


def pay_at_the_counter(invoice: Invoice, amount: str, method: str) -> None:
    """One settlement of ``amount`` by ``method``, allocated wholly to ``invoice``."""
    settlement = Settlement.objects.create(
        municipality=invoice.municipality,
        service=invoice.service,
        household=invoice.household,
        method=method,
        amount=Decimal(amount),
    )
    Allocation.objects.create(
        municipality=invoice.municipality,
        settlement=settlement,
        invoice=invoice,
        amount=Decimal(amount),
    )
