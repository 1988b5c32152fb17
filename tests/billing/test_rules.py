"""Each invoice line rule of seed 002's table on hand-checked examples (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from espacefamille.billing.models import LineKind
from espacefamille.billing.pricing import Prices
from espacefamille.billing.rules import day_lines, flat_rate_line, total_of

MEAL = Prices(Decimal("3.50"), Decimal("5.00"), Decimal("2.80"))
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def lines(booked, states, waiting=0, prices=MEAL, period=NOVEMBER):  # type: ignore[no-untyped-def]
    return day_lines(
        product_id=1,
        waiting_day_count=waiting,
        booked_days=booked,
        states=states,
        period=period,
        price_on=lambda day: prices,
    )


def summary(result):  # type: ignore[no-untyped-def]
    return [(line.day.day, line.kind, line.amount, line.is_anomaly) for line in result]


def test_booked_and_present_is_the_unit_price() -> None:
    result = lines([date(2026, 11, 2)], {date(2026, 11, 2): "present"})
    assert summary(result) == [(2, LineKind.BOOKED_PRESENT, Decimal("3.50"), False)]


def test_booked_and_unjustified_absence_is_the_absence_price() -> None:
    result = lines([date(2026, 11, 3)], {date(2026, 11, 3): "absent"})
    assert summary(result) == [(3, LineKind.UNJUSTIFIED_ABSENCE, Decimal("2.80"), False)]


def test_unset_absence_price_falls_back_to_the_unit_price() -> None:
    result = lines([date(2026, 11, 3)], {date(2026, 11, 3): "absent"}, prices=Prices(Decimal(2)))
    assert summary(result) == [(3, LineKind.UNJUSTIFIED_ABSENCE, Decimal("2.00"), False)]


def test_justified_absence_is_free_without_waiting_days() -> None:
    assert lines([date(2026, 11, 5)], {date(2026, 11, 5): "justified"}) == []


def test_justified_absence_bills_only_the_first_waiting_day_of_each_run() -> None:
    booked = [date(2026, 11, d) for d in (2, 3, 5, 6, 9, 10, 12)]
    states = {
        date(2026, 11, 2): "justified",  # run 1: waiting day
        date(2026, 11, 3): "justified",  # free
        date(2026, 11, 5): "justified",  # free
        date(2026, 11, 6): "present",  # breaks the run
        date(2026, 11, 9): "justified",  # run 2: waiting day
        date(2026, 11, 10): "justified",  # free
        date(2026, 11, 12): "present",
    }
    assert summary(lines(booked, states, waiting=1)) == [
        (2, LineKind.WAITING_DAY, Decimal("3.50"), False),
        (6, LineKind.BOOKED_PRESENT, Decimal("3.50"), False),
        (9, LineKind.WAITING_DAY, Decimal("3.50"), False),
        (12, LineKind.BOOKED_PRESENT, Decimal("3.50"), False),
    ]


def test_two_waiting_days() -> None:
    booked = [date(2026, 11, d) for d in (2, 3, 5)]
    states = dict.fromkeys(booked, "justified")
    assert [line.day.day for line in lines(booked, states, waiting=2)] == [2, 3]


def test_a_run_started_last_month_has_used_its_waiting_day() -> None:
    booked = [date(2026, 10, 30), date(2026, 11, 2)]
    states = {date(2026, 10, 30): "justified", date(2026, 11, 2): "justified"}
    assert lines(booked, states, waiting=1) == []  # 30/10 was the waiting day, billed in October


def test_present_without_booking_is_the_unbooked_price() -> None:
    result = lines([], {date(2026, 11, 4): "present_unbooked"})
    assert summary(result) == [(4, LineKind.UNBOOKED_PRESENCE, Decimal("5.00"), False)]


def test_absent_without_booking_is_nothing() -> None:
    assert lines([], {date(2026, 11, 4): "absent"}) == []


def test_booked_without_attendance_is_billed_and_flagged() -> None:
    result = lines([date(2026, 11, 2)], {})
    assert summary(result) == [(2, LineKind.BOOKED_PRESENT, Decimal("3.50"), True)]


def test_days_outside_the_period_are_not_billed() -> None:
    result = lines([date(2026, 10, 30), date(2026, 12, 1)], {})
    assert result == []


def test_each_day_uses_its_own_price() -> None:
    def price_on(day: date) -> Prices:
        return Prices(Decimal("3.50") if day < date(2026, 11, 16) else Decimal("3.70"))

    result = day_lines(
        product_id=1,
        waiting_day_count=0,
        booked_days=[date(2026, 11, 13), date(2026, 11, 16)],
        states={date(2026, 11, 13): "present", date(2026, 11, 16): "present"},
        period=NOVEMBER,
        price_on=price_on,
    )
    assert [line.amount for line in result] == [Decimal("3.50"), Decimal("3.70")]


def test_flat_rate_is_its_price_once() -> None:
    line = flat_rate_line(
        product_id=7, start=date(2026, 11, 2), end=date(2026, 11, 30), prices=Prices(Decimal(30))
    )
    assert (line.kind, line.amount, line.end_date) == (
        LineKind.FLAT_RATE,
        Decimal("30.00"),
        date(2026, 11, 30),
    )


def test_total_is_the_sum_of_rounded_lines() -> None:
    third = Prices(Decimal("1.005"))  # rounds half up to 1.01 per line
    result = lines([date(2026, 11, d) for d in (2, 3, 5)], {}, prices=third)
    assert [line.amount for line in result] == [Decimal("1.01")] * 3
    assert total_of(result) == Decimal("3.03")
