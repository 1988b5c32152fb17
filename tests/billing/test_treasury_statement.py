"""The treasury statement: payments by method and day with totals, unpaid invoices at the end
of the period, as CSV and XLSX."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from espacefamille.billing.models import Invoice
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.billing.settlements import settlement_record
from espacefamille.billing.treasury import statement_xlsx, treasury_statement
from espacefamille.catalog.deadlines import PARIS

from .conftest import OCTOBER, Billing, make_other_family


@pytest.fixture
def paid_and_unpaid(billing: Billing) -> tuple[Invoice, Invoice]:
    _other, zoe = make_other_family(billing)
    billing.book(billing.paul, "REPAS", 1, 2)  # 7,00
    billing.book(zoe, "REPAS", 1, 2, 5)  # 10,50
    run = invoice_run_finalize(
        run=invoice_run_draft(service=billing.restaurant, month=OCTOBER),
        issued_on=date(2026, 11, 2),
    )
    mine, theirs = Invoice.objects.filter(run=run).order_by("household__name")
    settlement_record(
        household=mine.household,
        service=billing.restaurant,
        method="cheque",
        amount=Decimal("7.00"),
        invoices=[mine],
        reference="CHQ 42",
        received_at=datetime(2026, 11, 10, 9, 30, tzinfo=PARIS),
    )
    settlement_record(
        household=theirs.household,
        service=billing.restaurant,
        method="cash",
        amount=Decimal("4.00"),
        invoices=[theirs],
        received_at=datetime(2026, 11, 10, 11, 0, tzinfo=PARIS),
    )
    settlement_record(  # after the period: still unpaid at its end
        household=theirs.household,
        service=billing.restaurant,
        method="cash",
        amount=Decimal("6.50"),
        invoices=[theirs],
        received_at=datetime(2026, 12, 1, 9, 0, tzinfo=PARIS),
    )
    return mine, theirs


def test_statement_totals(billing: Billing, paid_and_unpaid: tuple[Invoice, Invoice]) -> None:
    _mine, theirs = paid_and_unpaid
    statement = treasury_statement(
        service=billing.restaurant, start=date(2026, 11, 1), end=date(2026, 11, 30)
    )
    assert statement.by_method() == {"chèque": Decimal("7.00"), "espèces": Decimal("4.00")}
    assert statement.total_received == Decimal("11.00")
    assert [(u.number, u.balance) for u in statement.unpaid] == [(theirs.number, Decimal("6.50"))]
    december = treasury_statement(
        service=billing.restaurant, start=date(2026, 12, 1), end=date(2026, 12, 31)
    )
    assert december.unpaid == [] and december.total_received == Decimal("6.50")


def test_csv_command(
    billing: Billing, paid_and_unpaid: tuple[Invoice, Invoice], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "treasury_statement", billing.town.slug, "restaurant-scolaire", "2026-11-01", "2026-11-30"
    )
    out = capsys.readouterr().out
    assert "10/11/2026;09:30:00;chèque;DUPONT;CHQ 42;2026-RS-000001;7,00" in out
    assert "Total encaissé;11,00" in out
    assert "Total impayé;;;;;;6,50" in out


def test_xlsx(billing: Billing, paid_and_unpaid: tuple[Invoice, Invoice], tmp_path: Path) -> None:
    target = tmp_path / "etat.xlsx"
    call_command(
        "treasury_statement",
        billing.town.slug,
        "restaurant-scolaire",
        "2026-11-01",
        "2026-11-30",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    book = load_workbook(BytesIO(target.read_bytes()))
    assert book.sheetnames == ["Encaissements", "Par jour", "Impayés"]
    unpaid = list(book["Impayés"].values)
    assert unpaid[-1][-1] == 6.5
    statement = treasury_statement(
        service=billing.restaurant, start=date(2026, 11, 1), end=date(2026, 11, 30)
    )
    assert statement_xlsx(statement)[:2] == b"PK"
