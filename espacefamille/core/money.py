"""Amounts are Decimals in euros, shown the French way: "7,65 €"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def to_amount(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euros(value: Decimal | int | str | None) -> str:
    """``Decimal("1234.5")`` → ``"1 234,50 €"`` (narrow no-break spaces, as French typography)."""
    if value is None:
        return ""
    amount = to_amount(value)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NARROW_NBSP.join(groups)},{cents}{NBSP}€"
