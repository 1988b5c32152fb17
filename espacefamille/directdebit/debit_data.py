"""What a PES title line needs to carry a household's direct debit (``InfoPrelevementSEPA``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DebitData:
    rum: str
    iban: str
    bic: str
    holder: str
    signed_on: date
    previous_rum: str | None = None
    previous_iban: str | None = None
    previous_bic: str | None = None
