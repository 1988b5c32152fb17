"""Refusals of "Signaler une absence" and of an agent's decision on a certificate: one
``AbsenceError`` with a stable ``AbsenceReason`` (see ``core.errors``)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import CONFLICT, NOT_FOUND, DomainError


class AbsenceRefusal(StrEnum):
    CHILD_NOT_IN_HOUSEHOLD = "child_not_in_household"
    DAYS_REVERSED = "days_reversed"
    TOO_MANY_DAYS = "too_many_days"
    TOO_LATE = "too_late"
    NOTHING_BOOKED = "nothing_booked"
    UNKNOWN_REASON = "unknown_reason"
    CERTIFICATE_REFUSED = "certificate_refused"
    NOTHING_TO_DECIDE = "nothing_to_decide"
    NOT_IN_AGENT_SITES = "not_in_agent_sites"


class AbsenceError(DomainError):
    """An absence service refused the operation; nothing was written."""

    statuses = {
        AbsenceRefusal.NOTHING_TO_DECIDE: CONFLICT,
        AbsenceRefusal.NOT_IN_AGENT_SITES: NOT_FOUND,
    }
