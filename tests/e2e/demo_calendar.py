"""When the demo town's products can be booked, worked out from what the README says of the
demo (open weekdays, zone C school holidays, French public holidays, deadlines), never from the
domain's own rules: a browser journey that picks its days here still fails when a rule breaks.

The data is the README's table, written again on purpose; the school and public holidays come
from the same offline data sets the town's calendar reads (``vacances-scolaires-france`` and
``holidays``), which are inputs, not rules of ours."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone
from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

PARIS = ZoneInfo("Europe/Paris")
ZONE = "C"


@dataclass(frozen=True)
class DemoProduct:
    weekdays: frozenset[int]
    deadline_days: int  # booking closes this many days before the day…
    deadline_time: time  # …at this time, Paris time


# The demo town's products, as the README's table describes them.
DEMO_PRODUCTS = {
    "REPAS": DemoProduct(frozenset({0, 1, 3, 4}), 2, time(10, 0)),
    "REPAS VEGETARIEN": DemoProduct(frozenset({0, 1, 3, 4}), 2, time(10, 0)),
    "GARDERIE AVANT REPAS": DemoProduct(frozenset({0, 1, 2, 3, 4}), 1, time(18, 0)),
    "GARDERIE JUSQU'A 16H30": DemoProduct(frozenset({0, 1, 3, 4}), 1, time(18, 0)),
    "GARDERIE 16H30 A 18H30": DemoProduct(frozenset({0, 1, 3, 4}), 1, time(18, 0)),
    "MERCREDI JOURNEE": DemoProduct(frozenset({2}), 7, time(12, 0)),
}

_SCHOOL_HOLIDAYS = SchoolHolidayDates()


def is_school_holiday(day: date) -> bool:
    try:
        return bool(_SCHOOL_HOLIDAYS.is_holiday_for_zone(day, ZONE))
    except UnsupportedYearException:
        return False


def is_public_holiday(day: date) -> bool:
    return day in holidays.France(years=day.year)


def is_open(product: str, day: date) -> bool:
    """The demo product runs that day (none of the demo's products opens in holidays)."""
    return (
        day.weekday() in DEMO_PRODUCTS[product].weekdays
        and not is_school_holiday(day)
        and not is_public_holiday(day)
    )


def deadline(product: str, day: date) -> datetime:
    rule = DEMO_PRODUCTS[product]
    return datetime.combine(day - timedelta(days=rule.deadline_days), rule.deadline_time, PARIS)


def still_bookable(product: str, day: date) -> bool:
    return is_open(product, day) and timezone.now() < deadline(product, day)


def open_days_ahead(product: str, *, weeks: int = 60) -> Iterator[date]:
    """The days from today on, in order, on which ``product`` runs and can still be booked."""
    today = timezone.localdate()
    for offset in range(weeks * 7):
        day = today + timedelta(days=offset)
        if still_bookable(product, day):
            yield day


def past_deadline_days(product: str, *, days_back: int = 60) -> Iterator[date]:
    """Open days of ``product`` whose booking deadline has passed, most recent first."""
    day = timezone.localdate() + timedelta(days=DEMO_PRODUCTS[product].deadline_days)
    for _step in range(days_back):
        if is_open(product, day) and timezone.now() >= deadline(product, day):
            yield day
        day -= timedelta(days=1)
