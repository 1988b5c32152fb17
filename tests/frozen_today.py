"""The suite at a date it chooses: ``ESPACEFAMILLE_TODAY=2027-05-03`` (or
``2027-05-03T17:45``, Paris time; 08:30 when no time is given) starts the whole test process on
that day with time-machine, the clock then running on from there. The demo, the live server's
threads and every rule see that day; Chromium keeps its own clock (no page's rule reads it).

CI runs the date-sensitive suites (bookings, billing, payments, the browser journeys) at the
dates of ``CI_DATES`` besides today (``scripts/test-at-dates.sh``). The live-server races run
their server in other processes, which keep the real clock: they are left to today's run."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

VARIABLE = "ESPACEFAMILLE_TODAY"
PARIS = ZoneInfo("Europe/Paris")
DEFAULT_TIME = time(8, 30)

# A Sunday just before the Christmas holidays (zone C), the Monday of a week with a public
# holiday in May (Ascension, and the school bridge day after it), the last week of August.
CI_DATES = ("2026-12-13", "2027-05-03", "2027-08-30")


def frozen_moment() -> datetime | None:
    """The moment ``ESPACEFAMILLE_TODAY`` names, or None when the suite runs today."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise SystemExit(f"{VARIABLE}={value!r}: expected YYYY-MM-DD[THH:MM]") from error
    if "T" not in value and " " not in value:
        moment = datetime.combine(date.fromisoformat(value), DEFAULT_TIME)
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def start_travel() -> time_machine.travel | None:
    moment = frozen_moment()
    if moment is None:
        return None
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    return traveller
