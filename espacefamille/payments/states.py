"""The one transition function of a payment
(docs/architecture.md#states-change-through-one-function): "paid" is final, so a late refusal,
cancellation or expiry never undoes it; a repeat changes nothing; a signed "paid" may still arrive
after an expiry or a refusal (the money was taken: the bank wins)."""

from __future__ import annotations

from django.utils import timezone

from espacefamille.core.events import events_emit

from .models import OPEN_STATES, Payment, PaymentState


def may_move(current: str, to: str) -> bool:
    if current == to or current == PaymentState.PAID:
        return False
    if to == PaymentState.PAID:
        return True
    if to == PaymentState.PENDING:
        return current == PaymentState.CREATED
    return current in OPEN_STATES


def payment_transition(payment: Payment, to: str, *, outcome: str = "") -> bool:
    """Move a payment the caller has locked (``select_for_update``); False when the move is a
    repeat or not allowed, and nothing is written."""
    if not may_move(payment.state, to):
        return False
    now = timezone.now()
    payment.state = to
    payment.updated_at = now
    fields = ["state", "updated_at"]
    if to == PaymentState.PAID:
        payment.paid_at = now
        fields.append("paid_at")
    if outcome:
        payment.outcome = outcome[:300]
        fields.append("outcome")
    payment.save(update_fields=fields)
    if to == PaymentState.PAID:
        events_emit(
            municipality_id=payment.municipality_id,
            name="payment.succeeded",
            items=[{"payment": payment.pk, "amount": f"{payment.amount:.2f}"}],
        )
    return True
