"""Billing's refusals: one ``BillingError`` with a stable ``BillingReason`` (see
``core.errors``)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import CONFLICT, DomainError


class BillingReason(StrEnum):
    # Invoicing runs.
    MONTH_NOT_ALLOWED = "month_not_allowed"
    RUN_FINAL = "run_final"
    RUN_NOT_DRAFTED = "run_not_drafted"
    RUN_IN_PROGRESS = "run_in_progress"
    RUN_EMPTY = "run_empty"
    # Payments recorded at the counter.
    UNKNOWN_METHOD = "unknown_method"
    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    NO_INVOICE_CHOSEN = "no_invoice_chosen"
    NOT_AN_ISSUED_INVOICE = "not_an_issued_invoice"
    INVOICE_CANCELLED = "invoice_cancelled"
    INVOICE_PAID = "invoice_paid"
    OVERPAYMENT = "overpayment"
    PARTS_MISMATCH = "parts_mismatch"
    NOT_A_DEBIT = "not_a_debit"
    # Credit notes.
    CREDIT_EXCEEDS_INVOICE = "credit_exceeds_invoice"
    # Invoices sent again.
    NO_EMAIL_ADDRESS = "no_email_address"
    # Prices.
    PRICE_IN_THE_PAST = "price_in_the_past"
    NEGATIVE_PRICE = "negative_price"
    PRICE_EXISTS = "price_exists"
    LARGE_CHANGE = "large_change"
    PRICE_IN_FORCE = "price_in_force"


class BillingError(DomainError):
    """A billing service refused the operation; nothing was written."""

    statuses = {
        BillingReason.RUN_FINAL: CONFLICT,
        BillingReason.RUN_NOT_DRAFTED: CONFLICT,
        BillingReason.RUN_IN_PROGRESS: CONFLICT,
        BillingReason.INVOICE_CANCELLED: CONFLICT,
        BillingReason.INVOICE_PAID: CONFLICT,
        BillingReason.NOT_AN_ISSUED_INVOICE: CONFLICT,
        BillingReason.PRICE_IN_FORCE: CONFLICT,
        BillingReason.PRICE_EXISTS: CONFLICT,
    }
