"""Asking the provider about payments still open: a notification can be lost (PayFiP sends one
only when the family comes back through its page), so a payment left "created" or "pending" for
a few minutes is polled where the backend can say (eopayment's ``has_payment_status``: today
``payfip_ws``). The answer goes through ``notifications.polled_answer_apply``: stored raw, the
same checks and the same once-only row-locked application as a notification.

Expiry is not decided here: a hold that ran out is ``expire_payments``'s job; a poll only
applies what the provider says (a PayFiP "expired" included, which releases the places)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import eopayment
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from espacefamille.core.tenancy import municipality_scope

from .errors import PaymentError
from .models import OPEN_STATES, Payment, PaymentState, ProviderConfig
from .notifications import polled_answer_apply
from .providers import answer_from, backend_for

logger = logging.getLogger(__name__)

POLL_AFTER = timedelta(minutes=5)


@dataclass
class PollReport:
    asked: int = 0
    changed: int = 0
    failed: int = 0


def payments_to_poll(*, now: datetime) -> list[Payment]:
    """Open payments older than ``POLL_AFTER`` that the provider knows (a transaction id)."""
    return list(
        Payment.objects.filter(
            state__in=OPEN_STATES,
            created_at__lte=now - POLL_AFTER,
            provider__isnull=False,
            provider__is_active=True,
        )
        .exclude(transaction_id="")
        .select_related("provider")
        .order_by("created_at", "pk")
    )


def pending_payments_poll(*, now: datetime | None = None) -> PollReport:
    """Poll the open payments of the current town (call it inside ``municipality_scope``)."""
    now = now or timezone.now()
    report = PollReport()
    backends: dict[int, eopayment.Payment | None] = {}
    for payment in payments_to_poll(now=now):
        config = payment.provider
        assert config is not None
        if config.pk not in backends:
            try:
                backend = backend_for(config, base_url=settings.SITE_URL)
            except PaymentError:
                backend = None
            backends[config.pk] = backend if backend and backend.has_payment_status else None
        backend = backends[config.pk]
        if backend is None:
            continue
        report.asked += 1
        moved = _poll_one(config, backend, payment)
        if moved is None:
            report.failed += 1
        elif moved:
            report.changed += 1
    return report


def _poll_one(config: ProviderConfig, backend: eopayment.Payment, payment: Payment) -> bool | None:
    """True when the answer moved the payment on, None when the provider could not answer."""
    try:
        response = backend.payment_status(
            payment.transaction_id, transaction_date=payment.created_at
        )
    except Exception as error:  # a provider down must not stop the others
        # The error's class only: its text may quote the request (e-mail, amount).
        logger.warning("payment %s: status poll failed (%s)", payment.pk, type(error).__name__)
        return None
    answer = answer_from(config=config, response=response)
    if answer.state == PaymentState.PENDING or (
        answer.state == PaymentState.EXPIRED and answer.amount is None
    ):
        # Nothing new: still in progress (PayFiP's P5), or an operation PayFiP forgot (P1),
        # which says nothing of the money; the hold's expiry is ``expire_payments``' job.
        return False
    received = polled_answer_apply(
        config=config,
        raw=f"payment_status {payment.transaction_id}: {response.result} {response.bank_status}",
        answer=answer,
        base_url=settings.SITE_URL,
    )
    if received.payment is None:
        return None
    state = Payment.objects.values_list("state", flat=True).get(pk=payment.pk)
    return state != payment.state


@task()
def poll_pending_payments(*, municipality_id: int) -> dict[str, int]:
    """The task (one town): run it every few minutes, e.g. from the command of the same name."""
    with municipality_scope(municipality_id):
        report = pending_payments_poll()
    return {"asked": report.asked, "changed": report.changed, "failed": report.failed}
