""" "Mes factures": open and paid invoices (seed 003), each invoice's detail (the accessible
version of the invoice) and its PDF. Another household's invoice answers 404."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import render

from espacefamille.billing.models import Invoice
from espacefamille.billing.pdf import invoice_pdf
from espacefamille.billing.selectors import (
    InvoiceRow,
    household_credit,
    household_invoice,
    household_invoices,
    invoice_lines,
    invoice_settlements,
)
from espacefamille.directdebit.selectors import invoice_debit, invoice_debit_days

from ..acting import PortalRequest
from ..decorators import household_required
from .batch_payments import pay_all_links

TABS = {"en-cours": False, "payees": True}


def _row(request: PortalRequest, invoice_id: int) -> InvoiceRow:
    try:
        return household_invoice(household=request.household, invoice_id=invoice_id)
    except Invoice.DoesNotExist as error:
        raise Http404 from error


@household_required
def invoices(request: PortalRequest) -> HttpResponse:
    tab = request.GET.get("onglet", "en-cours")
    if tab not in TABS:
        tab = "en-cours"
    household = request.household
    rows = household_invoices(household=household, paid=TABS[tab])
    debit_days = invoice_debit_days(row.invoice for row in rows)
    for row in rows:  # "Prélèvement le …" instead of "Payer en ligne"
        setattr(row.invoice, "debit_day", debit_days.get(row.invoice.pk))  # noqa: B010
    return render(
        request,
        "portal/invoices/list.html",
        {
            "tab": tab,
            "rows": rows,
            "total_due": sum((row.balance for row in rows if not row.is_paid), Decimal("0.00")),
            "credit": household_credit(household=household),
            "payable_count": len(
                [row for row in rows if not row.is_paid and not debit_days.get(row.invoice.pk)]
            ),
            "pay_all": pay_all_links(rows),
        },
    )


@household_required
def invoice_detail(request: PortalRequest, invoice_id: int) -> HttpResponse:
    row = _row(request, invoice_id)
    return render(
        request,
        "portal/invoices/detail.html",
        {
            "row": row,
            "invoice": row.invoice,
            "lines": invoice_lines(invoice=row.invoice),
            "settlements": invoice_settlements(invoice=row.invoice),
            "debit": invoice_debit(invoice=row.invoice),
        },
    )


@household_required
def invoice_download(request: PortalRequest, invoice_id: int) -> HttpResponse:
    row = _row(request, invoice_id)
    content = invoice_pdf(
        invoice=row.invoice,
        lines=invoice_lines(invoice=row.invoice),
        paid=row.paid,
        debit_day=invoice_debit(invoice=row.invoice).day,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="facture-{row.invoice.number}.pdf"'
    return response
