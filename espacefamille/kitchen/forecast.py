"""How many children will actually eat: the bookings of a day, less the share of booked
children who were absent on the same weekday of the past weeks (the kitchen orders meals ahead,
and a meal cooked for an absent child is wasted). Pure functions on plain numbers, so the
arithmetic is checked by hand in the tests; ``kitchen.counts`` feeds them from the database.

The history of a product, site and weekday is the attendance recorded ("pointage") for booked
children: a booked child marked present ate, one marked absent (justified or not) did not. A
child present without a booking is not in it (it was not booked, so it says nothing about the
share of bookings that turn into meals), nor is a booked child whose attendance was never
recorded."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

HISTORY_WEEKS = 6


@dataclass(frozen=True)
class PastDay:
    """One past day of a product and site: booked children whose attendance was recorded, and
    how many of them were present."""

    day: date
    booked: int
    present: int


@dataclass(frozen=True)
class ForecastError:
    """The forecast checked against what happened: ``days`` past days compared, their mean
    absolute error in meals, and the total of the forecasts and of the meals eaten."""

    days: int
    mean_absolute_error: float
    forecast_total: int
    present_total: int


def absence_rate(history: Iterable[PastDay]) -> float | None:
    """The share of booked children who were absent, over ``history``; None without history."""
    booked = present = 0
    for past in history:
        booked += past.booked
        present += past.present
    if booked == 0:
        return None
    return (booked - present) / booked


def round_half_up(value: float) -> int:
    """2.5 → 3 (Python's ``round`` would give 2): a kitchen counts whole meals."""
    return math.floor(value + 0.5)


def forecast_meals(booked: int, rate: float | None) -> int:
    """booked × (1 − absence rate), rounded; the booked count itself without history."""
    if rate is None:
        return booked
    return round_half_up(booked * (1 - rate))


def history_before(
    day: date, history: Sequence[PastDay], weeks: int = HISTORY_WEEKS
) -> list[PastDay]:
    """The past days of ``history`` on the weekday of ``day``, in the ``weeks`` weeks before it."""
    since = day - timedelta(weeks=weeks)
    return [
        past for past in history if since <= past.day < day and past.day.weekday() == day.weekday()
    ]


def day_forecast(
    day: date, booked: int, history: Sequence[PastDay], weeks: int = HISTORY_WEEKS
) -> int:
    return forecast_meals(booked, absence_rate(history_before(day, history, weeks)))


def forecast_error(
    history: Sequence[PastDay], *, since: date, weeks: int = HISTORY_WEEKS
) -> ForecastError | None:
    """Each past day from ``since`` on, forecast as it would have been the day before (from the
    ``weeks`` weeks before it, its own bookings) and compared with the children present: the
    mean absolute error. None when no past day is in the period."""
    compared = [past for past in history if past.day >= since]
    if not compared:
        return None
    forecasts = [day_forecast(past.day, past.booked, history, weeks) for past in compared]
    errors = [
        abs(forecast - past.present) for forecast, past in zip(forecasts, compared, strict=True)
    ]
    return ForecastError(
        days=len(compared),
        mean_absolute_error=sum(errors) / len(errors),
        forecast_total=sum(forecasts),
        present_total=sum(past.present for past in compared),
    )
