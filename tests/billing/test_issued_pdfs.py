"""The invoices' PDFs as issued, drawn once when a run becomes final (issue 18's bench: a PES
export of a month reads them instead of drawing 10,000 pages); a reader draws what is not
stored yet and writes nothing."""

from __future__ import annotations

from typing import Any

from espacefamille.billing.issued_pdfs import issued_pdfs, run_pdfs_store
from espacefamille.billing.models import Invoice, IssuedInvoicePdf
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.core.tenancy import municipality_scope

from .conftest import OCTOBER, Billing


def test_finalising_a_run_stores_each_invoice_pdf_once(
    billing: Billing, django_capture_on_commit_callbacks: Any
) -> None:
    with municipality_scope(billing.town):
        billing.book(billing.paul, "REPAS", 5, 6, 7)
        billing.book(billing.julie, "REPAS", 5, 6)
        run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
        with django_capture_on_commit_callbacks(execute=True):
            invoice_run_finalize(run=run, notify=False)
        (invoice,) = Invoice.objects.filter(run=run)
        (stored,) = IssuedInvoicePdf.objects.all()
        assert stored.invoice_id == invoice.pk and bytes(stored.content)[:4] == b"%PDF"
        assert run_pdfs_store(run_id=run.pk) == 0  # nothing drawn twice


def test_a_pdf_not_stored_yet_is_drawn_on_reading(billing: Billing) -> None:
    with municipality_scope(billing.town):
        billing.book(billing.paul, "REPAS", 5, 6)
        run = invoice_run_finalize(
            run=invoice_run_draft(service=billing.restaurant, month=OCTOBER), notify=False
        )
        (invoice,) = Invoice.objects.filter(run=run)
        pdfs = issued_pdfs([invoice.pk])
        assert list(pdfs) == [invoice.pk] and pdfs[invoice.pk][:4] == b"%PDF"
        assert not IssuedInvoicePdf.objects.exists()  # a reader never writes
