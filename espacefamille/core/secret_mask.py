"""How a stored secret (a payment provider's key, an API Particulier token, an SMS provider's
key) may be shown back: never in full, its last four characters when it is long enough."""

from __future__ import annotations

from typing import Any

MASK = "••••"


def mask(value: Any) -> str:
    """A secret as it may be shown: its last four characters when it is long enough."""
    text = "" if value is None else str(value)
    return MASK + text[-4:] if len(text) >= 8 else MASK
