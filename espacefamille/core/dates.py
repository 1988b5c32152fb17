"""Small date helpers shared by every app, so a computation such as "Monday of this week" is
written once."""

from __future__ import annotations

from datetime import date, timedelta


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def daterange(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end`` included."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
