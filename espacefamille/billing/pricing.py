"""Which price applies to a product on a day for a household: pure functions over rows loaded
once per run (``ProductPrice`` by date and family-quotient bracket, else the product's own
prices). Past months keep their prices because every day looks up the price in force that day."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Prices:
    """The three prices of seed 002's table. An unset "non prévu" or "absence injustifiée"
    price falls back to the unit price: a day booked or eaten is owed unless a rule says
    otherwise."""

    unit: Decimal
    unbooked_presence: Decimal | None = None
    unjustified_absence: Decimal | None = None

    @property
    def unbooked(self) -> Decimal:
        return self.unit if self.unbooked_presence is None else self.unbooked_presence

    @property
    def unjustified(self) -> Decimal:
        return self.unit if self.unjustified_absence is None else self.unjustified_absence


@dataclass(frozen=True)
class Bracket:
    effective_from: date
    quotient_max: Decimal | None  # None: the top bracket
    is_default: bool
    prices: Prices


def bracket_for(brackets: list[Bracket], quotient: Decimal | None) -> Prices:
    """The bracket of one effective date that fits the quotient: the lowest upper bound at or
    above it. An unknown quotient takes the bracket marked default, else the top one (the full
    price, as towns do when no proof was given)."""
    ordered = sorted(brackets, key=lambda b: (b.quotient_max is None, b.quotient_max or 0))
    if quotient is None:
        chosen = next((b for b in ordered if b.is_default), ordered[-1])
        return chosen.prices
    for bracket in ordered:
        if bracket.quotient_max is None or quotient <= bracket.quotient_max:
            return bracket.prices
    return ordered[-1].prices  # above every bound and no open-ended bracket: the highest


class PriceBook:
    """Prices of every product of a run, by effective date; the products' own prices when a
    product has no ``ProductPrice`` row."""

    def __init__(self, fallback: dict[int, Prices], brackets: Iterable[tuple[int, Bracket]]):
        self._fallback = fallback
        by_product: dict[int, dict[date, list[Bracket]]] = defaultdict(lambda: defaultdict(list))
        for product_id, bracket in brackets:
            by_product[product_id][bracket.effective_from].append(bracket)
        self._dates = {pid: sorted(days) for pid, days in by_product.items()}
        self._brackets = by_product
        self._cache: dict[tuple[int, date, Decimal | None], Prices] = {}

    def price(self, product_id: int, day: date, quotient: Decimal | None = None) -> Prices:
        key = (product_id, day, quotient)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._lookup(product_id, day, quotient)
        return found

    def _lookup(self, product_id: int, day: date, quotient: Decimal | None) -> Prices:
        dates = self._dates.get(product_id)
        if dates:
            index = bisect_right(dates, day)
            if index:
                return bracket_for(self._brackets[product_id][dates[index - 1]], quotient)
        return self._fallback[product_id]


class QuotientHistory:
    """A household's family quotients by date: the value in force on a day, or None. Rows
    come in the order they were recorded; of two starting the same day the later one wins."""

    def __init__(self, values: Iterable[tuple[date, Decimal]]):
        ordered = sorted(values, key=lambda row: row[0])  # stable: recording order kept
        self._days = [day for day, _value in ordered]
        self._values = [value for _day, value in ordered]

    def on(self, day: date) -> Decimal | None:
        index = bisect_right(self._days, day)
        return self._values[index - 1] if index else None
