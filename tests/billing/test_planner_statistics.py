"""After an invoicing run the planner knows the invoice tables (issue 17): the lines of one
invoice are read through the invoice's index, not the town-wide one, on SQLite as on
PostgreSQL. Without statistics SQLite walked the town's ``municipality_id`` index (433,000
lines scanned for 79 on the bench town: 100 ms a PDF)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from espacefamille.billing.models import Invoice, InvoiceLine, LineKind
from espacefamille.billing.runs import invoice_run_draft
from espacefamille.billing.selectors import invoice_lines

from ..query_plans import indexes_leading_with, query_plan
from .conftest import OCTOBER, Billing

OLD_INVOICES, LINES_EACH = 300, 60  # a town's past months: 18,000 lines


def _past_months(billing: Billing) -> None:
    """Invoices and lines of earlier months, written in bulk as a restore or an import would."""
    town, household = billing.town, billing.family.household
    invoices = Invoice.objects.bulk_create(
        Invoice(
            municipality=town,
            service=billing.restaurant,
            household=household,
            recipient_name="DUPONT Marie",
            period_start=date(2020, 1, 1),
            period_end=date(2020, 1, 31),
            total=Decimal("105.00"),
        )
        for _ in range(OLD_INVOICES)
    )
    product = billing.p("REPAS")
    InvoiceLine.objects.bulk_create(
        (
            InvoiceLine(
                municipality=town,
                invoice=invoice,
                child=billing.paul,
                child_name="Paul DUPONT",
                product=product,
                product_name=product.name,
                date=date(2020, 1, 1 + day % 28),
                kind=LineKind.BOOKED_PRESENT,
                unit_price=Decimal("3.50"),
                amount=Decimal("3.50"),
            )
            for invoice in invoices
            for day in range(LINES_EACH)
        ),
        batch_size=2000,
    )


def test_an_invoices_lines_are_read_through_its_index_after_a_run(billing: Billing) -> None:
    _past_months(billing)
    billing.book(billing.paul, "REPAS", 1, 2, 5, 6)
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    invoice = Invoice.objects.get(run=run)

    with CaptureQueriesContext(connection) as captured:
        lines = invoice_lines(invoice=invoice)
    assert [line.date.day for line in lines] == [1, 2, 5, 6]
    (query,) = captured.captured_queries
    # The selector's own statement, as the driver ran it (its parameters inlined).
    assert "billing_invoiceline" in query["sql"]
    plan = query_plan(query["sql"])
    indexes = indexes_leading_with(InvoiceLine, "invoice_id")
    assert indexes, "billing_invoiceline has no index on invoice_id"
    assert any(name in plan for name in indexes), plan
