"""Payments' refusals and technical failures: one ``PaymentError`` with a stable
``PaymentReason`` (see ``core.errors``). A provider that does not answer, or answers what
cannot be read, is ``PROVIDER_UNAVAILABLE`` / ``UNREADABLE_ANSWER`` (503: not the family's
fault, try again later)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import CONFLICT, NOT_FOUND, UNAVAILABLE, DomainError


class PaymentReason(StrEnum):
    NOT_YOUR_INVOICE = "not_your_invoice"
    NOTHING_TO_PAY = "nothing_to_pay"
    ONLINE_PAYMENT_UNAVAILABLE = "online_payment_unavailable"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    UNREADABLE_ANSWER = "unreadable_answer"
    CART_LINE_INVALID = "cart_line_invalid"
    # Paying several invoices at once.
    NO_INVOICE_CHOSEN = "no_invoice_chosen"
    SEVERAL_REGIES = "several_regies"
    ONE_INVOICE_PER_PAYMENT = "one_invoice_per_payment"
    REFUND_ALREADY_MADE = "refund_already_made"
    REFUND_REFERENCE_MISSING = "refund_reference_missing"
    # Providers and cancellation rules set by the town.
    UNKNOWN_BACKEND = "unknown_backend"
    UNKNOWN_SERVICE = "unknown_service"
    SERVICE_HAS_PROVIDER = "service_has_provider"
    SETTINGS_MISSING = "settings_missing"


class PaymentError(DomainError):
    """A payment service refused the operation, or its provider failed; nothing was changed."""

    statuses = {
        PaymentReason.NOT_YOUR_INVOICE: NOT_FOUND,
        PaymentReason.NOTHING_TO_PAY: CONFLICT,
        PaymentReason.ONLINE_PAYMENT_UNAVAILABLE: CONFLICT,
        PaymentReason.PROVIDER_UNAVAILABLE: UNAVAILABLE,
        PaymentReason.UNREADABLE_ANSWER: UNAVAILABLE,
        PaymentReason.CART_LINE_INVALID: CONFLICT,
        PaymentReason.SEVERAL_REGIES: CONFLICT,
        PaymentReason.ONE_INVOICE_PER_PAYMENT: CONFLICT,
        PaymentReason.REFUND_ALREADY_MADE: CONFLICT,
        PaymentReason.SERVICE_HAS_PROVIDER: CONFLICT,
    }
