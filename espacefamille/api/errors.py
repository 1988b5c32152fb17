"""The API's own refusals: one ``ApiError`` with a stable ``ApiReason`` (see ``core.errors``).
The domain's refusals (a full day, a past deadline…) keep their own classes and reasons."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import NOT_FOUND, TOO_MANY, DomainError

UNAUTHORIZED = 401
FORBIDDEN = 403


class ApiReason(StrEnum):
    NOT_AUTHENTICATED = "not_authenticated"
    SCOPE_MISSING = "scope_missing"
    RATE_LIMITED = "rate_limited"
    INVALID_INPUT = "invalid_input"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    PARSE_ERROR = "parse_error"
    NO_SCOPE = "no_scope"
    UNKNOWN_SCOPE = "unknown_scope"
    UNKNOWN_EVENT = "unknown_event"
    INVALID_ADDRESS = "invalid_address"
    UNKNOWN_TOWN = "unknown_town"
    KEY_REVOKED = "key_revoked"
    INSECURE_URL = "insecure_url"


class ApiError(DomainError):
    statuses = {
        ApiReason.NOT_AUTHENTICATED: UNAUTHORIZED,
        ApiReason.SCOPE_MISSING: FORBIDDEN,
        ApiReason.RATE_LIMITED: TOO_MANY,
        ApiReason.NOT_FOUND: NOT_FOUND,
        ApiReason.METHOD_NOT_ALLOWED: 405,
        ApiReason.NOT_ACCEPTABLE: 406,
        ApiReason.UNSUPPORTED_MEDIA_TYPE: 415,
        ApiReason.PARSE_ERROR: 400,
        ApiReason.KEY_REVOKED: 409,
    }
