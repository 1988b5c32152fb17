"""The money figures of the back-office dashboard ("tableau de bord"), as aggregates in a fixed
number of queries.

- Invoiced in a month: the final invoices issued ("date de facture") that month; drafts and
  cancelled invoices are not invoiced.
- Received in a month: the settlements received that month, whatever their method, except the
  credits used on invoices: a credit note is not money received (as the treasury statement).
- Unpaid: final invoices whose settlements allocated so far fall short of their total; the
  amount is what is still owed on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DateField, F, Sum
from django.db.models.functions import TruncMonth

from .balances import with_paid_amount
from .models import Invoice, InvoiceStatus, Settlement, SettlementMethod

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MonthRevenue:
    month: date  # the first day of the month
    invoiced: Decimal
    received: Decimal


@dataclass(frozen=True)
class Unpaid:
    count: int
    amount: Decimal


def month_starts(*, today: date, months: int) -> list[date]:
    """The first days of the last ``months`` months, the current one last."""
    starts: list[date] = []
    year, month = today.year, today.month
    for _index in range(months):
        starts.insert(0, date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts


def revenue_per_month(*, today: date, months: int) -> list[MonthRevenue]:
    """Invoiced and received in each of the last ``months`` months (two queries)."""
    starts = month_starts(today=today, months=months)
    invoiced = dict(
        Invoice.objects.filter(status=InvoiceStatus.FINAL, issued_on__gte=starts[0])
        .annotate(month=TruncMonth("issued_on", output_field=DateField()))
        .values("month")
        .annotate(total=Sum("total"))
        .order_by()
        .values_list("month", "total")
    )
    received = dict(
        Settlement.objects.exclude(method=SettlementMethod.CREDIT)
        .annotate(month=TruncMonth("received_at", output_field=DateField()))
        .filter(month__gte=starts[0])
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("month", "total")
    )
    return [
        MonthRevenue(start, invoiced.get(start) or ZERO, received.get(start) or ZERO)
        for start in starts
    ]


def unpaid_invoices() -> Unpaid:
    """One query."""
    owed = (
        with_paid_amount(Invoice.objects.filter(status=InvoiceStatus.FINAL))
        .filter(total__gt=F("paid_amount"))
        .aggregate(count=Count("pk"), amount=Sum(F("total") - F("paid_amount")))
    )
    return Unpaid(owed["count"], owed["amount"] or ZERO)
