"""The one way a date, a moment or an id typed or sent by somebody becomes a value: dates in
the range the product deals with, ids made of ASCII digits that a database column holds.

Python's ``date`` runs from year 1 to 9999; one day or one time zone beyond either end is an
``OverflowError`` (a week's Monday, the end of a period, a moment stored in UTC). No booking,
invoice or attendance lies outside 2000–2100, so every date from a URL, a query string or a
form goes through ``parse_day`` or ``BoundedDateField`` and stays in ``EARLIEST_DATE`` …
``LATEST_DATE``; every id through ``parse_id`` (``"²".isdigit()`` is true, ``int("²")`` fails).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls.converters import IntConverter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)  # a grandparent's, typed as a guardian's
MAX_ID = 2**63 - 1  # beyond, databases raise instead of finding nothing
DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def in_bounds(day: date, *, earliest: date = EARLIEST_DATE) -> bool:
    return earliest <= day <= LATEST_DATE


def parse_day(value: Any) -> date | None:
    """A day from a URL or a query string (``2027-01-04`` or ``04/01/2027``), or None when it
    is none or lies out of range."""
    text = str(value or "").strip()
    for pattern in DAY_FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if in_bounds(day) else None
    return None


def parse_moment(value: Any) -> datetime | None:
    """An ISO 8601 moment (a tablet's clock), made aware in the current time zone, or None
    when it is none or its day lies out of range."""
    try:
        moment = datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    if not in_bounds(moment.date()):
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def parse_id(value: Any) -> int | None:
    """A row's id: ASCII digits only, at most what a 64-bit column holds; else None."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class RowIdConverter(IntConverter):
    """``<row_id:pk>`` in a URL: an ``<int:…>`` that a 64-bit column holds; a greater number
    does not match the route (Django's converter protocol: ``to_python`` raises ValueError),
    so the next routes answer, e.g. the API's problem+json 404."""

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number


class BoundedDateField(forms.DateField):
    """Django's date field, refusing a date out of the product's range with a French message
    (before any arithmetic on it can overflow). A birth date starts earlier (``earliest``)."""

    def __init__(self, *, earliest: date = EARLIEST_DATE, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.earliest = earliest

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        if day is not None and not in_bounds(day, earliest=self.earliest):
            raise ValidationError(
                _("Choisissez une date entre le %(earliest)s et le %(latest)s.")
                % {"earliest": f"{self.earliest:%d/%m/%Y}", "latest": f"{LATEST_DATE:%d/%m/%Y}"},
                code="date_out_of_range",
            )
        return day
