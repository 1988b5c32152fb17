"""What a title line needs to carry a direct debit through the treasury (``InfoPrelevementSEPA``,
``NatPrel`` 01): the mandate and the debtor's account. Built by the direct-debit app; the PES
builder only reads it. ``previous_*`` are set when the mandate was amended (new RUM, new
account): the title then carries the ``Ancien*`` fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def debits_for_invoices(invoice_ids: Iterable[int]) -> Mapping[int, DebitData]:
    """Invoice id → debit data for the invoices whose household pays by direct debit through
    the treasury. Empty until the direct-debit mandates are wired in."""
    return {}
