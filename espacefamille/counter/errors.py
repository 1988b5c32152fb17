"""The counter's own refusals (exceptional closures): one ``CounterError`` with a stable
``CounterReason`` (see ``core.errors``). Bookings made for a family refuse with the booking
core's ``BookingError``."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import DomainError


class CounterReason(StrEnum):
    CLOSURE_DATES = "closure_dates"
    CLOSURE_KIND = "closure_kind"


class CounterError(DomainError):
    """A counter service refused the operation; nothing was written."""
