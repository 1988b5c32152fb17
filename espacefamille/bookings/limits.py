"""How far ahead a day may be booked and how long a period "Réserver pour une période" may
cover. The domain enforces them whatever the front door sends (the portal's forms only say
them early), so no request can make the services walk years of dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import BookingError, Reason, Refusal

MAX_AHEAD = timedelta(days=730)  # two school years
MAX_PERIOD = timedelta(days=366)  # one school year at most
SURELY_AHEAD = MAX_AHEAD - timedelta(days=2)


def check_in_range(day: date, now: datetime) -> Refusal | None:
    # The local date is never two days before ``now``'s own (offsets stay within ±14 h): the
    # days before that bound need no time zone (a school year checks each of its days).
    if day <= now.date() + SURELY_AHEAD or day <= timezone.localdate(now) + MAX_AHEAD:
        return None
    return Refusal(
        Reason.OUT_OF_RANGE,
        _("Ce jour est trop lointain : les réservations ouvrent au plus deux ans à l'avance."),
    )


def check_period(start: date, end: date, now: datetime) -> None:
    """Raise ``BookingError`` for a period that is reversed, too long or too far ahead."""
    if end < start:
        raise BookingError(
            Reason.PERIOD_TOO_LONG, _("La date de fin doit être postérieure à la date de début.")
        )
    if end - start >= MAX_PERIOD:
        raise BookingError(
            Reason.PERIOD_TOO_LONG,
            _("La période ne peut pas dépasser une année scolaire (un an au plus)."),
        )
    refusal = check_in_range(start, now)
    if refusal:
        raise BookingError.from_refusal(refusal)
