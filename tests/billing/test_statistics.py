"""The dashboard's money figures, checked by hand to the cent: invoiced by the month of issue,
received by the month (in Paris time) of the settlement, what is left unpaid."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine

from espacefamille.billing.credits import credit_note_issue, credits_apply
from espacefamille.billing.models import Invoice
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.billing.settlements import settlement_record
from espacefamille.billing.statistics import (
    MonthRevenue,
    Unpaid,
    month_starts,
    revenue_per_month,
    unpaid_invoices,
)
from espacefamille.catalog.deadlines import PARIS

from .conftest import OCTOBER, Billing, make_other_family

pytestmark = pytest.mark.django_db


def test_month_starts_across_the_new_year() -> None:
    assert month_starts(today=date(2027, 2, 14), months=4) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]


def test_revenue_per_month_and_unpaid(billing: Billing) -> None:
    _other, zoe = make_other_family(billing)
    billing.book(billing.paul, "REPAS", 1, 2)  # 7,00
    billing.book(zoe, "REPAS", 1, 2, 5)  # 10,50
    billing.book(billing.paul, "GARDERIE AVANT REPAS", 1)  # 1,00, left in a draft
    run = invoice_run_finalize(
        run=invoice_run_draft(service=billing.restaurant, month=OCTOBER),
        issued_on=date(2026, 11, 2),
    )
    invoice_run_draft(service=billing.daycare, month=OCTOBER)  # a draft is not invoiced
    mine, theirs = Invoice.objects.filter(run=run).order_by("household__name")
    for invoice, method, amount, received_at in [
        (mine, "cheque", "7.00", datetime(2026, 11, 10, 9, 30, tzinfo=PARIS)),
        (theirs, "cash", "4.00", datetime(2026, 11, 30, 23, 30, tzinfo=PARIS)),
    ]:
        settlement_record(
            household=invoice.household,
            service=billing.restaurant,
            method=method,
            amount=Decimal(amount),
            invoices=[invoice],
            received_at=received_at,
        )
    assert unpaid_invoices() == Unpaid(count=1, amount=Decimal("6.50"))
    settlement_record(  # 23:30 UTC on 30/11, but December in Paris
        household=theirs.household,
        service=billing.restaurant,
        method="cash",
        amount=Decimal("6.50"),
        invoices=[theirs],
        received_at=datetime(2026, 12, 1, 0, 30, tzinfo=PARIS),
    )
    assert revenue_per_month(today=date(2026, 12, 15), months=3) == [
        MonthRevenue(date(2026, 10, 1), Decimal("0.00"), Decimal("0.00")),
        MonthRevenue(date(2026, 11, 1), Decimal("17.50"), Decimal("11.00")),
        MonthRevenue(date(2026, 12, 1), Decimal("0.00"), Decimal("6.50")),
    ]
    assert unpaid_invoices() == Unpaid(count=0, amount=Decimal("0.00"))


def test_a_credit_used_settles_but_is_not_received(billing: Billing) -> None:
    billing.book(billing.paul, "REPAS", 1, 2)  # 7,00
    run = invoice_run_finalize(
        run=invoice_run_draft(service=billing.restaurant, month=OCTOBER),
        issued_on=date(2026, 11, 2),
    )
    invoice = Invoice.objects.get(run=run)
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=PARIS), tick=False):
        credit_note_issue(
            household=invoice.household,
            service=billing.restaurant,
            amount=Decimal("2.00"),
            reason="Repas non servi",
        )
        assert credits_apply(invoice=invoice) == Decimal("2.00")
    november = revenue_per_month(today=date(2026, 11, 30), months=1)
    assert november == [MonthRevenue(date(2026, 11, 1), Decimal("7.00"), Decimal("0.00"))]
    assert unpaid_invoices() == Unpaid(count=1, amount=Decimal("5.00"))
