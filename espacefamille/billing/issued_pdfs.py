"""The PDFs of a final run's invoices as issued, drawn once when the run becomes final (a task
queued on commit), so that a PES export of 10,000 titles reads them instead of drawing each
one (about 10 ms a page). What is not stored yet is drawn on demand by the reader."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import transaction
from django_tasks import task

from espacefamille.core.tenancy import municipality_scope

from .models import Invoice, InvoiceLine, InvoiceStatus, IssuedInvoicePdf
from .pdf import invoice_pdf

CHUNK = 200


def lines_of_invoices(ids: list[int]) -> dict[int, list[InvoiceLine]]:
    """Every line of a chunk of invoices in one query, in the PDF's order
    (``selectors.invoice_lines``, one query per invoice, would cost more than the PDF)."""
    lines: dict[int, list[InvoiceLine]] = defaultdict(list)
    for line in InvoiceLine.objects.filter(invoice_id__in=ids).order_by(
        "invoice_id", "child_name", "product_name", "date", "pk"
    ):
        lines[line.invoice_id].append(line)
    return lines


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _draw(ids: list[int]) -> dict[int, bytes]:
    invoices = Invoice.objects.filter(pk__in=ids).select_related("municipality", "service")
    lines = lines_of_invoices(ids)
    return {
        invoice.pk: invoice_pdf(invoice=invoice, lines=lines[invoice.pk]) for invoice in invoices
    }


def run_pdfs_store(*, run_id: int) -> int:
    """Draw and keep the PDF of every final invoice of the run that has none yet, a chunk per
    transaction (a restarted task carries on where it stopped). Returns how many it drew."""
    stored = IssuedInvoicePdf.objects.filter(invoice__run_id=run_id).values_list(
        "invoice_id", flat=True
    )
    missing = list(
        Invoice.objects.filter(run_id=run_id, status=InvoiceStatus.FINAL)
        .exclude(pk__in=stored)
        .order_by("pk")
        .values_list("pk", "municipality_id")
    )
    town = dict(missing)
    count = 0
    for chunk in _chunks(list(town)):
        drawn = _draw(chunk)
        with transaction.atomic():
            IssuedInvoicePdf.objects.bulk_create(
                [
                    IssuedInvoicePdf(municipality_id=town[pk], invoice_id=pk, content=content)
                    for pk, content in drawn.items()
                ],
                ignore_conflicts=True,
            )
        count += len(drawn)
    return count


def issued_pdfs(ids: Iterable[int]) -> dict[int, bytes]:
    """Per invoice id, its PDF as issued: read when stored, drawn otherwise (and not kept:
    a reader never writes)."""
    ids = list(ids)
    found = {
        pk: bytes(content)
        for pk, content in IssuedInvoicePdf.objects.filter(invoice_id__in=ids).values_list(
            "invoice_id", "content"
        )
    }
    missing = [pk for pk in ids if pk not in found]
    for chunk in _chunks(missing):
        found.update(_draw(chunk))
    return found


@task()
def store_run_pdfs(*, municipality_id: int, run_id: int) -> None:
    with municipality_scope(municipality_id):
        run_pdfs_store(run_id=run_id)
