"""The invoice PDF: its text layer (read back with pypdf) shows the reference, the amounts and
the town; its title and language are set."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from espacefamille.billing.models import Invoice
from espacefamille.billing.pdf import invoice_pdf
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.billing.selectors import invoice_lines

from .conftest import OCTOBER, Billing


def test_pdf_text_shows_reference_and_amount(billing: Billing) -> None:
    billing.book(billing.paul, "REPAS", 1, 2, 5)
    billing.attend(billing.paul, "REPAS", "absent", 2)
    run = invoice_run_finalize(run=invoice_run_draft(service=billing.restaurant, month=OCTOBER))
    invoice = Invoice.objects.select_related("municipality", "service").get(run=run)
    content = invoice_pdf(invoice=invoice, lines=invoice_lines(invoice=invoice))
    reader = PdfReader(BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert invoice.number in text
    assert "10,50" in text  # the total, French style
    assert "Absence injustifiée".lower() in text.lower()
    assert billing.town.name in text
    assert reader.metadata is not None and invoice.number in (reader.metadata.title or "")
    assert b"/Lang" in content


def test_pdf_rows_group_days_and_keep_the_total(billing: Billing) -> None:
    from decimal import Decimal

    from espacefamille.billing.pdf import grouped

    billing.book(billing.paul, "REPAS", 1, 2, 5, 6)
    billing.attend(billing.paul, "REPAS", "absent", 5)
    run = invoice_run_finalize(run=invoice_run_draft(service=billing.restaurant, month=OCTOBER))
    invoice = Invoice.objects.get(run=run)
    groups = grouped(invoice_lines(invoice=invoice))
    assert [(g.kind, g.dates, g.quantity, g.amount) for g in groups] == [
        ("booked_present", "01, 02, 06/10/2026", 3, Decimal("10.50")),
        ("unjustified_absence", "05/10/2026", 1, Decimal("3.50")),
    ]
    assert sum(g.amount for g in groups) == invoice.total
