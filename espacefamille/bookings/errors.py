"""The booking domain's one error vocabulary: a stable ``Reason`` code per refusal, a
``Refusal`` (code + French message for families) returned by the pure rules, and
``BookingError`` raised by the services. Every front door maps the code to its own message or
status (the portal shows the message, the back office and the API will map codes), so no
caller has to parse a message or know an exception class per service."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from espacefamille.core.errors import CONFLICT, NOT_FOUND, UNAVAILABLE, DomainError


class Reason(StrEnum):
    # Refusals of the rules (a line of a cart, a click on a cell).
    NOT_ENROLLED = "not_enrolled"
    CLOSED = "closed"
    PAST_DEADLINE = "past_deadline"
    FULL = "full"
    INCOMPATIBLE = "incompatible"
    FLAT_RATE_RIVAL = "flat_rate_rival"
    ALREADY_BOOKED = "already_booked"
    OTHER_HOUSEHOLD = "other_household"
    NOT_BOOKED = "not_booked"
    NOT_CANCELLABLE = "not_cancellable"
    ATTENDANCE_TAKEN = "attendance_taken"
    OUT_OF_RANGE = "out_of_range"
    INVOICED = "invoiced"
    # Refusals of a service as a whole.
    NOT_IN_HOUSEHOLD = "not_in_household"
    NO_WAITING_LIST = "no_waiting_list"
    PLACES_LEFT = "places_left"
    NOTHING_TO_DECIDE = "nothing_to_decide"
    ILLEGAL_TRANSITION = "illegal_transition"
    PERIOD_TOO_LONG = "period_too_long"
    CAPACITY_BELOW_TAKEN = "capacity_below_taken"
    BUSY = "busy"
    # Kitchen counts and attendance (their apps read this vocabulary).
    PERIOD_REVERSED = "period_reversed"
    NOT_IN_AGENT_SITES = "not_in_agent_sites"
    UNKNOWN_MARK = "unknown_mark"
    FUTURE_DAY = "future_day"
    UNREADABLE_TAP = "unreadable_tap"
    NO_CHILD_CHOSEN = "no_child_chosen"


SHORT_LABELS = {
    Reason.NOT_ENROLLED: "non inscrit",
    Reason.CLOSED: "fermé",
    Reason.PAST_DEADLINE: "délai dépassé",
    Reason.FULL: "complet",
    Reason.INCOMPATIBLE: "incompatible",
    Reason.FLAT_RATE_RIVAL: "couvert par un forfait",
    Reason.ALREADY_BOOKED: "déjà réservé",
    Reason.OTHER_HOUSEHOLD: "réservé par l'autre foyer",
    Reason.NOT_BOOKED: "pas de réservation",
    Reason.NOT_CANCELLABLE: "non annulable",
    Reason.ATTENDANCE_TAKEN: "présence déjà pointée",
    Reason.OUT_OF_RANGE: "hors période",
    Reason.INVOICED: "déjà facturé",
}


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    message: str

    @property
    def label(self) -> str:
        return _(SHORT_LABELS.get(self.reason, str(self.reason)))


class BookingError(DomainError):
    """A booking service refused the whole operation; nothing was written.
    ``Reason.NOT_IN_AGENT_SITES`` answers 404 (the child is outside the agent's sites: as for
    another town's child, the back office does not say it exists)."""

    statuses = {
        Reason.ILLEGAL_TRANSITION: CONFLICT,
        Reason.ATTENDANCE_TAKEN: CONFLICT,
        Reason.INVOICED: CONFLICT,
        Reason.OTHER_HOUSEHOLD: CONFLICT,
        Reason.NOTHING_TO_DECIDE: CONFLICT,
        Reason.BUSY: UNAVAILABLE,
        Reason.NOT_IN_AGENT_SITES: NOT_FOUND,
    }

    def __init__(self, reason: Reason, message: str, *, field: str | None = None) -> None:
        super().__init__(reason, message, field=field)
        self.reason: Reason = reason

    @classmethod
    def from_refusal(cls, refusal: Refusal) -> BookingError:
        return cls(refusal.reason, refusal.message)

    @classmethod
    def busy(cls) -> BookingError:
        return cls(
            Reason.BUSY,
            _(
                "Beaucoup de familles réservent en ce moment : votre demande n'a pas pu être "
                "traitée. Réessayez dans un instant."
            ),
        )
