"""Prices by effective date and family-quotient bracket, and the quotient in force on a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from espacefamille.billing.pricing import Bracket, PriceBook, Prices, QuotientHistory

OWN = Prices(Decimal("3.50"), Decimal("5.00"), Decimal("3.50"))


def book() -> PriceBook:
    september = date(2026, 9, 1)
    november = date(2026, 11, 16)
    return PriceBook(
        {1: OWN, 2: Prices(Decimal("1.00"))},
        [
            (1, Bracket(september, Decimal("500"), False, Prices(Decimal("1.00")))),
            (1, Bracket(september, Decimal("1000"), True, Prices(Decimal("2.50")))),
            (1, Bracket(september, None, False, Prices(Decimal("4.00")))),
            (1, Bracket(november, Decimal("500"), False, Prices(Decimal("1.10")))),
            (1, Bracket(november, None, False, Prices(Decimal("4.20")))),
        ],
    )


def test_product_without_rows_uses_its_own_prices() -> None:
    assert book().price(2, date(2026, 11, 2), Decimal("300")) == Prices(Decimal("1.00"))


def test_before_the_first_effective_date_the_product_prices_apply() -> None:
    assert book().price(1, date(2026, 8, 31), Decimal("300")) == OWN


def test_brackets_by_quotient() -> None:
    prices = book()
    day = date(2026, 11, 2)
    assert prices.price(1, day, Decimal("300")).unit == Decimal("1.00")
    assert prices.price(1, day, Decimal("500")).unit == Decimal("1.00")  # upper bound is inclusive
    assert prices.price(1, day, Decimal("500.01")).unit == Decimal("2.50")
    assert prices.price(1, day, Decimal("2400")).unit == Decimal("4.00")


def test_unknown_quotient_takes_the_default_bracket() -> None:
    assert book().price(1, date(2026, 11, 2), None).unit == Decimal("2.50")


def test_unknown_quotient_without_a_default_takes_the_top_bracket() -> None:
    assert book().price(1, date(2026, 11, 20), None).unit == Decimal("4.20")


def test_a_price_change_mid_month_applies_from_its_date() -> None:
    prices = book()
    assert prices.price(1, date(2026, 11, 13), Decimal("300")).unit == Decimal("1.00")
    assert prices.price(1, date(2026, 11, 16), Decimal("300")).unit == Decimal("1.10")


def test_quotient_in_force_on_a_day() -> None:
    history = QuotientHistory(
        [(date(2026, 11, 10), Decimal("800")), (date(2026, 1, 1), Decimal("450"))]
    )
    assert history.on(date(2025, 12, 31)) is None
    assert history.on(date(2026, 11, 9)) == Decimal("450")
    assert history.on(date(2026, 11, 10)) == Decimal("800")


def test_of_two_quotients_starting_the_same_day_the_later_recorded_wins() -> None:
    # A paper certificate then a fetch (or two fetches) in the same month: the latest counts,
    # whichever value is higher.
    day = date(2026, 10, 1)
    history = QuotientHistory([(day, Decimal("900")), (day, Decimal("500"))])
    assert history.on(day) == Decimal("500")
    history = QuotientHistory([(day, Decimal("500")), (day, Decimal("900"))])
    assert history.on(day) == Decimal("900")
