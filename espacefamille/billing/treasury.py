""" "État d'encaissement récapitulatif" for the public treasury (seed 002 §3): every payment a
régie received over a period, by method and day with totals, and the invoices still unpaid at
the end of the period, as CSV (French: ``;`` and decimal commas) or XLSX (openpyxl). Every
cell goes through ``core.spreadsheet_cells``: a household or a reference typed as a formula is
written as text.

Credits used on invoices are not money received: they are left out of the payments, and an
invoice they settled is not unpaid."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from espacefamille.catalog.models import Service
from espacefamille.core.spreadsheet_cells import csv_writer, xlsx_append

from .models import Invoice, InvoiceStatus, Settlement, SettlementMethod

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PaymentRow:
    received_at: datetime
    method: str
    household: str
    reference: str
    invoices: str
    amount: Decimal


@dataclass(frozen=True)
class UnpaidRow:
    number: str
    household: str
    issued_on: date
    due_on: date | None
    total: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        return self.total - self.paid


@dataclass
class Statement:
    service: Service
    start: date
    end: date
    payments: list[PaymentRow] = field(default_factory=list)
    unpaid: list[UnpaidRow] = field(default_factory=list)

    def by_method(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for row in self.payments:
            totals[row.method] += row.amount
        return dict(sorted(totals.items()))

    def by_day_and_method(self) -> list[tuple[date, str, Decimal]]:
        totals: dict[tuple[date, str], Decimal] = defaultdict(lambda: ZERO)
        for row in self.payments:
            totals[(timezone.localtime(row.received_at).date(), row.method)] += row.amount
        return [(day, method, amount) for (day, method), amount in sorted(totals.items())]

    @property
    def total_received(self) -> Decimal:
        return sum((row.amount for row in self.payments), ZERO)

    @property
    def total_unpaid(self) -> Decimal:
        return sum((row.balance for row in self.unpaid), ZERO)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def treasury_statement(*, service: Service, start: date, end: date) -> Statement:
    statement = Statement(service, start, end)
    labels = dict(SettlementMethod.choices)
    settlements = (
        Settlement.objects.filter(
            service=service,
            received_at__gte=timezone.make_aware(datetime.combine(start, time.min)),
            received_at__lt=_end_of(end),
        )
        .exclude(method=SettlementMethod.CREDIT)
        .select_related("household")
        .prefetch_related("allocations__invoice")
        .order_by("received_at", "pk")
    )
    for settlement in settlements:
        numbers = ", ".join(a.invoice.number for a in settlement.allocations.all())
        statement.payments.append(
            PaymentRow(
                settlement.received_at,
                str(labels[settlement.method]),
                settlement.household.name,
                settlement.reference,
                numbers,
                settlement.amount,
            )
        )
    paid_by_end = Sum(
        "allocations__amount", filter=Q(allocations__settlement__received_at__lt=_end_of(end))
    )
    invoices = (
        Invoice.objects.filter(service=service, status=InvoiceStatus.FINAL, issued_on__lte=end)
        .annotate(paid=paid_by_end)
        .select_related("household")
        .order_by("issued_on", "number")
    )
    for invoice in invoices.iterator(chunk_size=2000):
        paid = invoice.paid or ZERO
        if paid < invoice.total:
            statement.unpaid.append(
                UnpaidRow(
                    invoice.number,
                    invoice.household.name,
                    invoice.issued_on or end,
                    invoice.due_on,
                    invoice.total,
                    paid,
                )
            )
    return statement


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"))


def statement_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";", lineterminator="\r\n", decimal_comma=True)
    period = f"{statement.start:%d/%m/%Y} au {statement.end:%d/%m/%Y}"
    writer.writerow([f"État d'encaissement — {statement.service.name} — du {period}"])
    writer.writerow([])
    writer.writerow(["Encaissements"])
    writer.writerow(["Date", "Heure", "Mode", "Foyer", "Référence", "Factures", "Montant"])
    for row in statement.payments:
        local = timezone.localtime(row.received_at)
        writer.writerow(
            [
                f"{local:%d/%m/%Y}",
                f"{local:%H:%M:%S}",
                row.method,
                row.household,
                row.reference,
                row.invoices,
                _cents(row.amount),
            ]
        )
    writer.writerow([])
    writer.writerow(["Totaux par jour et par mode"])
    writer.writerow(["Date", "Mode", "Montant"])
    for day, method, amount in statement.by_day_and_method():
        writer.writerow([f"{day:%d/%m/%Y}", method, _cents(amount)])
    writer.writerow([])
    writer.writerow(["Totaux par mode"])
    for method, amount in statement.by_method().items():
        writer.writerow([method, _cents(amount)])
    writer.writerow(["Total encaissé", _cents(statement.total_received)])
    writer.writerow([])
    writer.writerow([f"Factures impayées au {statement.end:%d/%m/%Y}"])
    writer.writerow(["Référence", "Foyer", "Date", "Échéance", "Montant", "Réglé", "Reste dû"])
    for unpaid in statement.unpaid:
        writer.writerow(
            [
                unpaid.number,
                unpaid.household,
                f"{unpaid.issued_on:%d/%m/%Y}",
                f"{unpaid.due_on:%d/%m/%Y}" if unpaid.due_on else "",
                _cents(unpaid.total),
                _cents(unpaid.paid),
                _cents(unpaid.balance),
            ]
        )
    writer.writerow(["Total impayé", "", "", "", "", "", _cents(statement.total_unpaid)])
    return out.getvalue()


def statement_xlsx(statement: Statement) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    euro = '#,##0.00 "€"'
    bold = Font(bold=True)
    book = Workbook()
    payments = book.active
    assert payments is not None
    payments.title = "Encaissements"
    xlsx_append(payments, ["Date", "Mode", "Foyer", "Référence", "Factures", "Montant"])
    for row in statement.payments:
        local = timezone.localtime(row.received_at).replace(tzinfo=None)
        xlsx_append(
            payments, [local, row.method, row.household, row.reference, row.invoices, row.amount]
        )
        payments.cell(payments.max_row, 1).number_format = "dd/mm/yyyy hh:mm:ss"
        payments.cell(payments.max_row, 6).number_format = euro
    xlsx_append(payments, [])
    for method, amount in statement.by_method().items():
        xlsx_append(payments, ["", f"Total {method}", "", "", "", amount])
        payments.cell(payments.max_row, 6).number_format = euro
    xlsx_append(payments, ["", "Total encaissé", "", "", "", statement.total_received])
    payments.cell(payments.max_row, 6).number_format = euro
    payments.cell(payments.max_row, 2).font = bold

    days = book.create_sheet("Par jour")
    xlsx_append(days, ["Date", "Mode", "Montant"])
    for day, method, amount in statement.by_day_and_method():
        xlsx_append(days, [day, method, amount])
        days.cell(days.max_row, 1).number_format = "dd/mm/yyyy"
        days.cell(days.max_row, 3).number_format = euro

    unpaid = book.create_sheet("Impayés")
    xlsx_append(unpaid, ["Référence", "Foyer", "Date", "Échéance", "Montant", "Réglé", "Reste dû"])
    for owed in statement.unpaid:
        xlsx_append(
            unpaid,
            [
                owed.number,
                owed.household,
                owed.issued_on,
                owed.due_on,
                owed.total,
                owed.paid,
                owed.balance,
            ],
        )
        for column in (3, 4):
            unpaid.cell(unpaid.max_row, column).number_format = "dd/mm/yyyy"
        for column in (5, 6, 7):
            unpaid.cell(unpaid.max_row, column).number_format = euro
    xlsx_append(unpaid, ["Total impayé", "", "", "", "", "", statement.total_unpaid])
    unpaid.cell(unpaid.max_row, 7).number_format = euro
    for sheet in (payments, days, unpaid):
        for cell in sheet[1]:
            cell.font = bold
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
