"""Values written into a family's data export ("Mes données") and other JSON the project hands
out: one conversion for every app that contributes a section."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone


def plain(value: Any) -> Any:
    """A JSON value: dates in ISO 8601 (local time for instants), decimals as strings."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)
