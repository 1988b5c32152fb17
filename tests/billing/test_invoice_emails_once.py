"""Each invoice e-mail is sent once (billing.emails): a rerun of the run's e-mail task, a retry
after a worker died, two workers at once send nothing twice; a failure or a dead task's claim
is taken over; an agent's resend is a sending of its own."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from espacefamille.billing import emails
from espacefamille.billing.agent_decisions import invoice_resend
from espacefamille.billing.emails import send_invoice_email, send_run_emails
from espacefamille.billing.models import EmailSendStatus, Invoice, InvoiceEmail, InvoiceRun
from espacefamille.billing.run_tasks import invoice_run_task
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.core.tenancy import municipality_scope

from ..factories import UserFactory
from .conftest import OCTOBER, Billing, make_other_family


def final_run(billing: Billing, capture: Any, families: int = 1) -> InvoiceRun:
    billing.book(billing.paul, "REPAS", 1)
    for index in range(families - 1):
        _family, child = make_other_family(billing, f"autre{index}@example.org")
        billing.book(child, "REPAS", 1)
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    mail.outbox.clear()
    with capture(execute=True):
        return invoice_run_finalize(run=run, issued_on=date(2026, 11, 2))


def test_a_rerun_of_the_runs_emails_sends_nothing_twice(
    billing: Billing, django_capture_on_commit_callbacks: Any
) -> None:
    run = final_run(billing, django_capture_on_commit_callbacks, families=3)
    assert len(mail.outbox) == 3
    send_run_emails.call(municipality_id=billing.town.pk, run_id=run.pk)
    for invoice in Invoice.objects.filter(run=run):
        send_invoice_email.call(municipality_id=billing.town.pk, invoice_id=invoice.pk)
    assert len(mail.outbox) == 3
    sends = InvoiceEmail.objects.filter(invoice__run=run)
    assert sends.count() == 3
    assert set(sends.values_list("status", "attempts")) == {(EmailSendStatus.SENT, 1)}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(sends.values_list("address", flat=True))


def test_the_retry_of_a_killed_task_sends_what_its_claim_held(
    billing: Billing, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed during the SMTP exchange leaves the row "sending" under its task's id;
    RQ runs the same task again (same id): it sends. Another task (a rerun of the run's
    e-mails) leaves it to that retry until the lease is over."""
    run = final_run(billing, django_capture_on_commit_callbacks)
    invoice = Invoice.objects.get(run=run)
    InvoiceEmail.objects.filter(invoice=invoice).update(
        status=EmailSendStatus.SENDING, claimed_by="job-killed", sent_at=None
    )
    mail.outbox.clear()
    monkeypatch.setattr(emails, "current_task_id", lambda: "job-rerun")
    send_invoice_email.call(municipality_id=billing.town.pk, invoice_id=invoice.pk)
    assert mail.outbox == []
    monkeypatch.setattr(emails, "current_task_id", lambda: "job-killed")
    send_invoice_email.call(municipality_id=billing.town.pk, invoice_id=invoice.pk)
    send_invoice_email.call(municipality_id=billing.town.pk, invoice_id=invoice.pk)
    assert len(mail.outbox) == 1
    row = InvoiceEmail.objects.get(invoice=invoice)
    assert (row.status, row.attempts) == (EmailSendStatus.SENT, 2)


def test_a_claim_older_than_the_lease_is_taken_over(
    billing: Billing, django_capture_on_commit_callbacks: Any
) -> None:
    run = final_run(billing, django_capture_on_commit_callbacks)
    invoice = Invoice.objects.get(run=run)
    sends = InvoiceEmail.objects.filter(invoice=invoice)
    sends.update(status=EmailSendStatus.SENDING, claimed_by="job-lost")
    mail.outbox.clear()
    send_invoice_email.call(municipality_id=billing.town.pk, invoice_id=invoice.pk)
    assert mail.outbox == []
    sends.update(claimed_at=timezone.now() - emails.CLAIM_LEASE - timedelta(seconds=1))
    send_invoice_email.call(municipality_id=billing.town.pk, invoice_id=invoice.pk)
    assert len(mail.outbox) == 1
    assert sends.get().status == EmailSendStatus.SENT


def test_a_failed_sending_is_recorded_and_sent_by_the_next_attempt(
    billing: Billing, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(**_kwargs: Any) -> None:
        raise ConnectionRefusedError

    monkeypatch.setattr(emails, "templated_email_send", refused)
    final_run(billing, django_capture_on_commit_callbacks)  # the task fails (and is retried)
    row = InvoiceEmail.objects.get()
    assert (row.status, row.error) == (EmailSendStatus.FAILED, "ConnectionRefusedError")
    monkeypatch.undo()
    send_invoice_email.call(municipality_id=billing.town.pk, invoice_id=row.invoice_id)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (EmailSendStatus.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_an_agents_resend_goes_out_although_the_issued_email_was_sent(
    billing: Billing, django_capture_on_commit_callbacks: Any
) -> None:
    run = final_run(billing, django_capture_on_commit_callbacks)
    invoice = Invoice.objects.get(run=run)
    agent = UserFactory(email="agent@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invoice_resend(invoice=invoice, user=agent)
    assert len(mail.outbox) == 2
    keys = sorted(InvoiceEmail.objects.filter(invoice=invoice).values_list("key", flat=True))
    assert keys[0] == "issued" and keys[1].startswith("resend-")


def test_the_run_task_run_again_after_its_work_committed_does_nothing_twice(
    billing: Billing, django_capture_on_commit_callbacks: Any
) -> None:
    """RQ queues a killed worker's task again: a run already final is not recomputed (nor
    marked failed), and its e-mails are not sent again."""
    run = final_run(billing, django_capture_on_commit_callbacks)
    InvoiceRun.objects.filter(pk=run.pk).update(finalize_when_drafted=True)
    with django_capture_on_commit_callbacks(execute=True):
        invoice_run_task.call(municipality_id=billing.town.pk, run_id=run.pk)
    run.refresh_from_db()
    assert run.failure == "" and len(mail.outbox) == 1


def test_the_run_tasks_retry_queues_the_emails_its_dead_worker_did_not(
    billing: Billing, django_capture_on_commit_callbacks: Any
) -> None:
    """The worker died between the final commit and the queuing of the e-mails."""
    billing.book(billing.paul, "REPAS", 1)
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    invoice_run_finalize(run=run, issued_on=date(2026, 11, 2), notify=False)
    InvoiceRun.objects.filter(pk=run.pk).update(finalize_when_drafted=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invoice_run_task.call(municipality_id=billing.town.pk, run_id=run.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_the_invoice_once(
    billing: Billing, django_capture_on_commit_callbacks: Any
) -> None:
    if connection.vendor == "sqlite":  # its shared in-memory test base refuses a second writer
        pytest.skip("deux écritures simultanées : PostgreSQL seulement")
    billing.book(billing.paul, "REPAS", 1)
    run = invoice_run_draft(service=billing.restaurant, month=OCTOBER)
    invoice_run_finalize(run=run, issued_on=date(2026, 11, 2), notify=False)
    invoice = Invoice.objects.get(run=run)
    mail.outbox.clear()
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            send_invoice_email.call(municipality_id=billing.town.pk, invoice_id=invoice.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(mail.outbox) == 1
    with municipality_scope(billing.town):
        assert InvoiceEmail.objects.get(invoice=invoice).status == EmailSendStatus.SENT
