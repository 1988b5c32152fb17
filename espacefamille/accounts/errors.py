"""Accounts' refusals (invitations, join codes, second factor, agents): one ``AccountError``
with a stable ``AccountReason`` (see ``core.errors``)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import CONFLICT, NOT_FOUND, TOO_MANY, UNAVAILABLE, DomainError


class AccountReason(StrEnum):
    # Second factor.
    SECOND_FACTOR_REFUSED = "second_factor_refused"
    # Invitations (activation links).
    NO_EMAIL_ADDRESS = "no_email_address"
    LINK_INVALID = "link_invalid"
    LINK_USED = "link_used"
    LINK_EXPIRED = "link_expired"
    GUARDIAN_HAS_ACCOUNT = "guardian_has_account"
    ACCOUNT_ALREADY_IN_TOWN = "account_already_in_town"
    # Join codes.
    CODE_UNKNOWN = "code_unknown"
    CODE_USED = "code_used"
    CODE_EXPIRED = "code_expired"
    NO_FREE_GUARDIAN = "no_free_guardian"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    CODE_DRAW_FAILED = "code_draw_failed"
    # A join code for one child (separated parents).
    CHILD_CODE_OTHER_TOWN = "child_code_other_town"
    CHILD_ALREADY_IN_HOUSEHOLD = "child_already_in_household"
    # Agents.
    SITE_OF_ANOTHER_TOWN = "site_of_another_town"
    UNKNOWN_ROLE = "unknown_role"
    PASSWORD_REQUIRED = "password_required"  # noqa: S105 (a reason code, not a password)
    ALREADY_AGENT = "already_agent"
    OWN_ROLE = "own_role"
    OWN_ACCESS = "own_access"


class AccountError(DomainError):
    """An accounts service refused the operation; nothing was written (except, for a wrong
    code, the attempt that counts towards the lock)."""

    statuses = {
        AccountReason.LINK_INVALID: NOT_FOUND,
        AccountReason.LINK_USED: CONFLICT,
        AccountReason.LINK_EXPIRED: CONFLICT,
        AccountReason.GUARDIAN_HAS_ACCOUNT: CONFLICT,
        AccountReason.ACCOUNT_ALREADY_IN_TOWN: CONFLICT,
        AccountReason.CODE_USED: CONFLICT,
        AccountReason.CODE_EXPIRED: CONFLICT,
        AccountReason.NO_FREE_GUARDIAN: CONFLICT,
        AccountReason.CHILD_ALREADY_IN_HOUSEHOLD: CONFLICT,
        AccountReason.TOO_MANY_ATTEMPTS: TOO_MANY,
        AccountReason.CODE_DRAW_FAILED: UNAVAILABLE,
        AccountReason.ALREADY_AGENT: CONFLICT,
    }
