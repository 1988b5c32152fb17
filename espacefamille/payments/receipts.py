"""The receipt e-mail ("une copie de ce ticket vous est envoyée par mail"): a task queued
after commit with ids only, rendered outside the payment's lock and transaction."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from espacefamille.billing.models import InvoiceLine
from espacefamille.core.emails import templated_email_send
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian

from .models import Payment, PaymentInvoice, PaymentState


def queue_receipt(*, payment: Payment, base_url: str | None) -> None:
    municipality_id, payment_id = payment.municipality_id, payment.pk
    task_enqueue_on_commit(
        send_payment_receipt,
        municipality_id=municipality_id,
        payment_id=payment_id,
        base_url=base_url,
    )


@task()
def send_payment_receipt(*, municipality_id: int, payment_id: int, base_url: str | None) -> None:
    with municipality_scope(municipality_id):
        payment = Payment.objects.select_related("household", "service", "invoice").get(
            pk=payment_id
        )
        if payment.state != PaymentState.PAID:
            return
        recipients = sorted(
            set(
                Guardian.objects.filter(
                    household=payment.household, user__isnull=False
                ).values_list("user__email", flat=True)
            )
        )
        if not recipients:
            return
        lines = (
            list(InvoiceLine.objects.filter(invoice=payment.invoice).order_by("child_name", "date"))
            if payment.invoice
            else []
        )
        # A payment of several invoices: their numbers (their lines are on each invoice).
        numbers = list(
            PaymentInvoice.objects.filter(payment=payment)
            .order_by("invoice_id")
            .values_list("invoice__number", flat=True)
        )
        link = (base_url or settings.SITE_URL).rstrip("/") + reverse("portal:invoices")
        templated_email_send(
            to=recipients,
            template="payment_receipt",
            context={
                "payment": payment,
                "lines": lines,
                "invoice_numbers": ", ".join(numbers),
                "link": link,
            },
        )
