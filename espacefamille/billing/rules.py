"""The invoice line rules of seed 002's table, as pure functions of what was booked and what
attendance says, so that each rule is checked on hand-made examples without a database.

- booked and present → unit price;
- booked, unjustified absence → "prix si absence injustifiée";
- booked, justified absence → free, except the product's waiting days (the first N booked
  days of each run of justified absences, ``bookings.attendance.waiting_days``);
- present without a booking → "prix si non prévu";
- booked and no attendance recorded → billed as booked and flagged as an anomaly;
- a flat-rate booking → its price once, on its first day;
- cancelled → nothing (a cancelled booking is simply not among the booked days)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from espacefamille.bookings.attendance import waiting_days
from espacefamille.bookings.models import AttendanceState
from espacefamille.core.money import to_amount

from .models import LineKind
from .pricing import Prices

PRESENT_STATES = frozenset({AttendanceState.PRESENT, AttendanceState.PRESENT_UNBOOKED})


@dataclass(frozen=True)
class Line:
    """One invoice line before it is stored."""

    product_id: int
    day: date
    kind: str
    unit_price: Decimal
    quantity: int = 1
    end_date: date | None = None
    is_anomaly: bool = False

    @cached_property
    def amount(self) -> Decimal:
        return to_amount(self.unit_price * self.quantity)


def day_lines(
    *,
    product_id: int,
    waiting_day_count: int,
    booked_days: Iterable[date],
    states: dict[date, str],
    period: tuple[date, date],
    price_on: Callable[[date], Prices],
) -> list[Line]:
    """Lines of one child for one day-by-day product over ``period`` (inclusive).

    ``booked_days`` and ``states`` may reach back before the period: a run of justified
    absences that started last month has already used its waiting days."""
    start, end = period
    booked = sorted(set(booked_days))
    waiting = (
        waiting_days(states=states, booked_days=booked, count=waiting_day_count)
        if waiting_day_count
        else set()
    )
    lines: list[Line] = []
    booked_set = set(booked)
    for day in sorted(booked_set | set(states)):
        if not start <= day <= end:
            continue
        state = states.get(day)
        prices = price_on(day)
        if day in booked_set:
            if state is None:
                lines.append(
                    Line(product_id, day, LineKind.BOOKED_PRESENT, prices.unit, is_anomaly=True)
                )
            elif state in PRESENT_STATES:
                lines.append(Line(product_id, day, LineKind.BOOKED_PRESENT, prices.unit))
            elif state == AttendanceState.ABSENT:
                lines.append(
                    Line(product_id, day, LineKind.UNJUSTIFIED_ABSENCE, prices.unjustified)
                )
            elif day in waiting:
                lines.append(Line(product_id, day, LineKind.WAITING_DAY, prices.unit))
        elif state in PRESENT_STATES:
            lines.append(Line(product_id, day, LineKind.UNBOOKED_PRESENCE, prices.unbooked))
    return lines


def flat_rate_line(*, product_id: int, start: date, end: date | None, prices: Prices) -> Line:
    """A flat-rate booking is billed once at its price, whatever attendance says."""
    return Line(product_id, start, LineKind.FLAT_RATE, prices.unit, end_date=end)


def total_of(lines: Iterable[Line]) -> Decimal:
    """An invoice's total is the sum of its rounded line amounts, never a recomputation."""
    return sum((line.amount for line in lines), Decimal("0.00"))
