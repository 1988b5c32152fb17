"""The family quotient's refusals (see ``core.errors``): one ``QuotientError`` with a stable
``QuotientReason``. Every answer of API Particulier other than a quotient becomes one of them,
with a French message; nothing is written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from espacefamille.core.errors import CONFLICT, NOT_FOUND, TOO_MANY, UNAVAILABLE, DomainError


class QuotientReason(StrEnum):
    # The town's settings and the family's consent.
    SERVICE_OFF = "service_off"
    NO_CONSENT = "no_consent"
    CONSENT = "consent"
    UNKNOWN_GUARDIAN = "unknown_guardian"
    SETTINGS = "settings"
    # The identity typed.
    BAD_IDENTITY = "bad_identity"
    BIRTH_COMMUNE = "birth_commune"
    # A paper certificate typed by an agent.
    BAD_SOURCE = "bad_source"
    BAD_VALUE = "bad_value"
    # API Particulier's answers.
    NOT_FOUND = "not_found"
    SEVERAL_MATCHES = "several_matches"
    TOKEN_REFUSED = "token_refused"  # noqa: S105 (a reason code, not a secret)
    RATE_LIMITED = "rate_limited"
    API_DOWN = "api_down"
    TIMEOUT = "timeout"
    MALFORMED = "malformed"
    UNEXPECTED = "unexpected"


class QuotientError(DomainError):
    """A quotient could not be fetched or recorded; the household is unchanged."""

    statuses = {
        QuotientReason.SERVICE_OFF: CONFLICT,
        QuotientReason.NO_CONSENT: CONFLICT,
        QuotientReason.UNKNOWN_GUARDIAN: NOT_FOUND,
        QuotientReason.SEVERAL_MATCHES: CONFLICT,
        QuotientReason.RATE_LIMITED: TOO_MANY,
        QuotientReason.TOKEN_REFUSED: UNAVAILABLE,
        QuotientReason.API_DOWN: UNAVAILABLE,
        QuotientReason.TIMEOUT: UNAVAILABLE,
        QuotientReason.MALFORMED: UNAVAILABLE,
        QuotientReason.UNEXPECTED: UNAVAILABLE,
    }

    def __init__(
        self,
        reason: str,
        message: str,
        field: str | None = None,
        *,
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(QuotientReason(reason), message, field=field, field_errors=field_errors)
