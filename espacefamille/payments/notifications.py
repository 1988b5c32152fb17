"""A provider's notification (server to server) or the browser's return: read, stored raw,
then checked — eopayment's ``signed``, the order reference, the amount and the currency —
and applied under the payment's row lock, once. What is not signed is stored only within
the bounds of ``payments.notification_limits`` (size, rate per address). A repeat answers
success and changes nothing; a forged or mismatching one answers an error and changes
nothing. The browser return is only recorded: it never marks a payment paid (none of our
backends makes it authoritative), the page the family sees reads the state the notification
set."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .errors import PaymentError
from .fulfilment import failure_message, payment_fulfil, payment_release
from .models import (
    NotificationChannel,
    NotificationOutcome,
    Payment,
    PaymentNotification,
    PaymentState,
    ProviderConfig,
)
from .notification_limits import unsigned_refusal
from .providers import ProviderAnswer, expected_order_reference, read_answer
from .receipts import queue_receipt
from .states import payment_transition


@dataclass(frozen=True)
class Received:
    ok: bool  # answer the provider with success
    payment: Payment | None
    content: str  # what the provider expects back, if anything
    refused_status: int | None = None  # 413 or 429: not even stored


def _mismatch(payment: Payment, answer: ProviderAnswer) -> str:
    """What in a signed answer does not match ``payment``, or "". The reference must be there
    and equal ours; the amount must equal ours exactly (12.004 is not 12.00)."""
    if answer.order_reference != expected_order_reference(payment):
        return "order reference"
    if answer.amount is None or answer.amount != payment.amount:
        return "amount"
    if answer.currency is not None and answer.currency != payment.currency:
        return "currency"
    return ""


def notification_receive(
    *,
    config: ProviderConfig,
    query_string: str,
    channel: str,
    base_url: str,
    client_address: str | None = None,
) -> Received:
    """Read, store and apply what the provider (or the browser) sent. The signature is checked
    before anything is written: a signed answer is always stored and applied; an unsigned or
    unreadable one is stored (as refused) only within the size and rate bounds."""
    answer: ProviderAnswer | None
    try:
        answer = read_answer(config=config, query_string=query_string, base_url=base_url)
    except PaymentError:
        answer = None
    if answer is None or not answer.signed:
        refusal = unsigned_refusal(query_string=query_string, client_address=client_address)
        if refusal is not None:
            return Received(ok=False, payment=None, content="ERROR", refused_status=refusal)
    notice = PaymentNotification.objects.create(
        municipality_id=config.municipality_id,
        provider=config,
        channel=channel,
        raw=query_string[:20000],
        client_address=client_address,
    )
    if answer is None:
        return _close(notice, NotificationOutcome.REJECTED, "unreadable", None, ok=False)
    if channel == NotificationChannel.RETURN:
        payment = Payment.objects.filter(
            provider=config, transaction_id=answer.transaction_id
        ).first()
        return _close(notice, NotificationOutcome.IGNORED, "browser return", payment, ok=True)
    if not answer.signed:
        return _close(notice, NotificationOutcome.REJECTED, "not signed", None, ok=False)
    return _apply(config, notice, answer, base_url)


def polled_answer_apply(
    *, config: ProviderConfig, raw: str, answer: ProviderAnswer, base_url: str
) -> Received:
    """What a status poll (``payments.polling``) learnt, stored and applied exactly as a
    notification is: the same checks, the same row lock, once."""
    notice = PaymentNotification.objects.create(
        municipality_id=config.municipality_id,
        provider=config,
        channel=NotificationChannel.POLL,
        raw=raw[:20000],
    )
    if not answer.signed:
        return _close(notice, NotificationOutcome.REJECTED, "not signed", None, ok=False)
    return _apply(config, notice, answer, base_url)


@transaction.atomic
def _apply(
    config: ProviderConfig, notice: PaymentNotification, answer: ProviderAnswer, base_url: str
) -> Received:
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("household", "service", "invoice")
        .filter(provider=config, transaction_id=answer.transaction_id)
        .first()
    )
    if payment is None:
        return _close(notice, NotificationOutcome.REJECTED, "unknown transaction", None, ok=False)
    mismatch = _mismatch(payment, answer)
    if mismatch:
        return _close(notice, NotificationOutcome.REJECTED, mismatch, payment, ok=False)
    if not payment_transition(payment, answer.state):
        return _close(
            notice, NotificationOutcome.REPEATED, answer.state, payment, ok=True, answer=answer
        )
    if payment.state == PaymentState.PAID:
        payment_fulfil(payment=payment)
        queue_receipt(payment=payment, base_url=base_url)
    elif payment.state != PaymentState.PENDING:
        payment_release(payment=payment)
        payment.outcome = failure_message(payment)
        payment.save(update_fields=["outcome"])
    return _close(
        notice, NotificationOutcome.APPLIED, answer.state, payment, ok=True, answer=answer
    )


def _close(
    notice: PaymentNotification,
    outcome: str,
    detail: str,
    payment: Payment | None,
    *,
    ok: bool,
    answer: ProviderAnswer | None = None,
) -> Received:
    PaymentNotification.objects.filter(pk=notice.pk).update(
        outcome=outcome, detail=detail[:300], payment=payment
    )
    content = (answer.return_content if answer else None) or ("OK" if ok else "ERROR")
    return Received(ok=ok, payment=payment, content=content)
