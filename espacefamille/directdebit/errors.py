"""Direct debit's refusals (see ``core.errors``): one ``DirectDebitError`` with a stable
``DirectDebitReason``; an IBAN or BIC that cannot be used is one of them (``IbanError``)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import CONFLICT, UNAVAILABLE, DomainError


class DirectDebitReason(StrEnum):
    ALREADY_ACTIVE = "already_active"
    CHANNEL = "channel"
    CREDITOR_IBAN = "creditor_iban"
    CREDITOR_NAME = "creditor_name"
    EMPTY = "empty"
    FUTURE = "future"
    HOLDER_INVALID = "holder_invalid"
    HOLDER_LONG = "holder_long"
    HOLDER_MISSING = "holder_missing"
    IBAN_INVALID = "iban_invalid"
    ICS = "ics"
    MODE = "mode"
    NOT_OFFERED = "not_offered"
    NOTICE = "notice"
    REASON = "reason"
    REGIE = "regie"
    REVOKED = "revoked"
    RUM_INVALID = "rum_invalid"
    RUM_TAKEN = "rum_taken"
    SCHEMA = "schema"
    TREASURY = "treasury"


class DirectDebitError(DomainError):
    """A refusal with a stable reason code and a French message; nothing was written."""

    statuses = {
        DirectDebitReason.ALREADY_ACTIVE: CONFLICT,
        DirectDebitReason.REVOKED: CONFLICT,
        DirectDebitReason.RUM_TAKEN: CONFLICT,
        DirectDebitReason.SCHEMA: UNAVAILABLE,
    }

    def __init__(self, reason: str, message: str, field: str | None = None) -> None:
        super().__init__(DirectDebitReason(reason), message, field=field)


class IbanError(DirectDebitError):
    """An IBAN or BIC that cannot be used, with a French message."""

    def __init__(self, message: str) -> None:
        super().__init__(DirectDebitReason.IBAN_INVALID, message)
