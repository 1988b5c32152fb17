"""Invoice e-mails, rendered by tasks after the run's commit, from ids (core.emails)."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django_tasks import task

from espacefamille.core.emails import templated_email_send
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope

from .debit_notice import invoice_debit_day
from .models import Invoice, InvoiceStatus


def invoice_email_address(invoice: Invoice) -> str:
    recipient = invoice.recipient
    if recipient is None:
        return ""
    if recipient.user_id and recipient.user is not None:
        return recipient.user.email
    return recipient.email


@task()
def send_run_emails(*, municipality_id: int, run_id: int) -> None:
    """One task per final invoice of the run, so a failure retries one e-mail, not all."""
    with municipality_scope(municipality_id):
        ids = Invoice.objects.filter(run_id=run_id, status=InvoiceStatus.FINAL).values_list(
            "pk", flat=True
        )
        for invoice_id in ids.iterator(chunk_size=1000):
            send_invoice_email.enqueue(municipality_id=municipality_id, invoice_id=invoice_id)


@task()
def send_invoice_email(*, municipality_id: int, invoice_id: int) -> None:
    with municipality_scope(municipality_id):
        invoice = Invoice.objects.select_related("municipality", "service", "recipient__user").get(
            pk=invoice_id
        )
        address = invoice_email_address(invoice)
        if not address:
            return
        try:
            link = settings.SITE_URL + reverse("portal:invoice_detail", args=[invoice.pk])
        except NoReverseMatch:
            link = settings.SITE_URL
        templated_email_send(
            to=[address],
            template="invoice_issued",
            context={
                "invoice": invoice,
                "municipality": invoice.municipality,
                "amount": format_euros(invoice.total),
                "link": link,
                "debit_day": invoice_debit_day(invoice),
            },
        )
