"""Reads of what is paid and what is owed: an invoice's paid amount is the sum of its
allocations, a credit note's remainder its amount less its uses. Nothing is stored twice."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round

from espacefamille.catalog.models import Service
from espacefamille.households.models import Household

from .models import Allocation, CreditNote, Invoice, Settlement, SettlementMethod

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=12, decimal_places=2)


def money_sum(field: str) -> Round:
    """``SUM(field)`` to the cent, for comparing in SQL. SQLite sums decimals as floats:
    0.70 + 0.10 is a hair below 0.80, so an invoice paid to the cent in two settlements read
    as "paid < total", open with 0,00 € left (to remind, to debit). Rounded to the cent, the
    sum is the same number as the column it is compared with; PostgreSQL's is exact anyway."""
    return Round(Sum(field), 2, output_field=MONEY_FIELD)


def with_paid_amount(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate ``paid_amount`` and ``last_paid_at`` (when the last settlement came in)."""
    paid = (
        Allocation.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(total=money_sum("amount"))
        .values("total")
    )
    last = (
        Allocation.objects.filter(invoice=OuterRef("pk"))
        .order_by("-settlement__received_at")
        .values("settlement__received_at")[:1]
    )
    return invoices.annotate(
        paid_amount=Coalesce(Subquery(paid, output_field=MONEY_FIELD), Value(ZERO)),
        last_paid_at=Subquery(last),
    )


def invoice_paid_amount(*, invoice: Invoice) -> Decimal:
    paid = Allocation.objects.filter(invoice=invoice).aggregate(total=Sum("amount"))["total"]
    return paid or ZERO


def invoice_balance(*, invoice: Invoice) -> Decimal:
    return invoice.total - invoice_paid_amount(invoice=invoice)


def credit_note_remainder(*, credit_note: CreditNote) -> Decimal:
    used = Settlement.objects.filter(credit_note=credit_note).aggregate(total=Sum("amount"))
    return credit_note.amount - (used["total"] or ZERO)


def open_credit_notes(
    *, household: Household, service: Service
) -> list[tuple[CreditNote, Decimal]]:
    """The household's credit notes of the régie with something left, oldest first."""
    notes = CreditNote.objects.filter(household=household, service=service).order_by(
        "issued_on", "pk"
    )
    remaining = [(note, credit_note_remainder(credit_note=note)) for note in notes]
    return [(note, left) for note, left in remaining if left > 0]


def credit_balance(*, household: Household, service: Service | None = None) -> Decimal:
    """What the régie (or every régie) still owes the household in credits."""
    notes = CreditNote.objects.filter(household=household)
    used = Settlement.objects.filter(household=household, method=SettlementMethod.CREDIT)
    if service is not None:
        notes, used = notes.filter(service=service), used.filter(service=service)
    issued = notes.aggregate(total=Sum("amount"))["total"] or ZERO
    spent = used.aggregate(total=Sum("amount"))["total"] or ZERO
    return issued - spent
