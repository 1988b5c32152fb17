"""Invoice e-mails, rendered by tasks after the run's commit, from ids (core.emails).

Each sending is claimed before it goes out: an ``InvoiceEmail`` row, unique per invoice and
``key`` ("issued" for the run's e-mail, "resend-<action log entry>" for an agent's), written
"sending" and committed, then "sent" or "failed" once the mail server answered. A task run
again (its worker was killed, RQ queued it again) or a second worker on the same invoice finds
the row and sends nothing when it reads "sent", or "sending" held by another task; a retry of
the task that holds it takes it over, and so does anyone after ``CLAIM_LEASE``. What is left:
a worker killed between the mail server's "250 OK" and the "sent" commit, then retried, sends
that one e-mail again (no protocol closes that gap; it lasts a few milliseconds)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import task

from espacefamille.core.emails import templated_email_send
from espacefamille.core.money import format_euros
from espacefamille.core.task_identity import current_task_id
from espacefamille.core.tenancy import municipality_scope

from .debit_notice import invoice_debit_day
from .models import EmailSendStatus, Invoice, InvoiceEmail, InvoiceStatus

ISSUED = "issued"
# Far above a send (EMAIL_TIMEOUT is 20 s): a "sending" row older than this lost its task.
CLAIM_LEASE = timedelta(minutes=15)


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
def send_invoice_email(
    *, municipality_id: int, invoice_id: int, resend_entry_id: int | None = None
) -> None:
    """The invoice's e-mail: the run's ("issued"), or an agent's resend, named by its entry in
    the action log ("resend-<id>")."""
    key = ISSUED if resend_entry_id is None else f"resend-{resend_entry_id}"
    with municipality_scope(municipality_id):
        invoice = Invoice.objects.select_related("municipality", "service", "recipient__user").get(
            pk=invoice_id
        )
        address = invoice_email_address(invoice)
        if not address:
            return
        claim = invoice_email_claim(invoice=invoice, key=key, address=address)
        if claim is None:
            return
        try:
            _render_and_send(invoice, address)
        except Exception as error:
            InvoiceEmail.objects.filter(pk=claim).update(
                status=EmailSendStatus.FAILED, error=type(error).__name__[:200]
            )
            raise
        InvoiceEmail.objects.filter(pk=claim).update(
            status=EmailSendStatus.SENT, sent_at=timezone.now(), error=""
        )


def invoice_email_claim(*, invoice: Invoice, key: str, address: str) -> int | None:
    """Claim the sending of ``invoice``'s e-mail under ``key``, each write committed at once
    (a task runs outside any transaction): the row's id, or None when it was sent or another
    task holds it. The unique row decides between two workers that start together, the
    conditional update between a retry and a rerun."""
    now = timezone.now()
    holder = current_task_id()
    try:
        with transaction.atomic():
            row = InvoiceEmail.objects.create(
                municipality_id=invoice.municipality_id,
                invoice=invoice,
                key=key,
                address=address,
                claimed_by=holder,
                claimed_at=now,
                attempts=1,
            )
        return row.pk
    except IntegrityError:
        pass
    takeover = Q(status=EmailSendStatus.FAILED) | Q(
        status=EmailSendStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    if holder:
        takeover |= Q(status=EmailSendStatus.SENDING, claimed_by=holder)
    pk = InvoiceEmail.objects.filter(invoice=invoice, key=key).values_list("pk", flat=True)[0]
    taken = (
        InvoiceEmail.objects.filter(pk=pk)
        .filter(takeover)
        .update(
            status=EmailSendStatus.SENDING,
            address=address,
            claimed_by=holder,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    )
    return pk if taken else None


def _render_and_send(invoice: Invoice, address: str) -> None:
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
