"""The meals forecast on hand-checked examples: the absence rate of past weeks, the rounding,
the weekday and the six-week window, and the error of the forecast on past weeks."""

from __future__ import annotations

from datetime import date

from espacefamille.kitchen.forecast import (
    ForecastError,
    PastDay,
    absence_rate,
    day_forecast,
    forecast_error,
    forecast_meals,
    history_before,
)

MON_16_NOV = date(2026, 11, 16)


def test_absence_rate_weighs_every_booked_child() -> None:
    # 2 absent of 10, then 3 of 10: 5 of 20.
    history = [PastDay(date(2026, 11, 2), 10, 8), PastDay(date(2026, 11, 9), 10, 7)]
    assert absence_rate(history) == 0.25
    # 1 of 2, then 0 of 8: 1 of 10 (not the mean of 50 % and 0 %).
    history = [PastDay(date(2026, 11, 2), 2, 1), PastDay(date(2026, 11, 9), 8, 8)]
    assert absence_rate(history) == 0.1


def test_no_history_forecasts_the_booked_count() -> None:
    assert absence_rate([]) is None
    assert absence_rate([PastDay(date(2026, 11, 9), 0, 0)]) is None
    assert forecast_meals(37, None) == 37
    assert day_forecast(MON_16_NOV, 37, []) == 37


def test_forecast_is_booked_times_the_share_present_rounded_half_up() -> None:
    assert forecast_meals(40, 0.25) == 30
    assert forecast_meals(10, 0.25) == 8  # 7.5 → 8 (Python's round would say 8; 2.5 would be 2)
    assert forecast_meals(5, 0.5) == 3  # 2.5 → 3
    assert forecast_meals(9, 1 / 3) == 6
    assert forecast_meals(0, 0.5) == 0


def test_history_keeps_the_same_weekday_of_the_six_weeks_before() -> None:
    mondays = [date(2026, 9, 28), date(2026, 10, 5), date(2026, 11, 9)]
    history = [PastDay(day, 10, 5) for day in mondays]
    history += [PastDay(date(2026, 11, 10), 10, 0), PastDay(MON_16_NOV, 10, 0)]
    kept = history_before(MON_16_NOV, history)
    assert [past.day for past in kept] == [date(2026, 10, 5), date(2026, 11, 9)]
    # 10 of 20 absent on those two Mondays: 30 booked → 15 expected.
    assert day_forecast(MON_16_NOV, 30, history) == 15


def test_error_on_past_weeks_forecasts_each_day_from_the_weeks_before_it() -> None:
    history = [
        PastDay(date(2026, 10, 19), 10, 8),
        PastDay(date(2026, 10, 26), 10, 6),
        PastDay(date(2026, 11, 2), 20, 15),
    ]
    # 26/10: from 19/10 (2 of 10 absent) → 10 × 0.8 = 8, 6 came: error 2.
    # 02/11: from 19/10 and 26/10 (6 of 20 absent) → 20 × 0.7 = 14, 15 came: error 1.
    assert forecast_error(history, since=date(2026, 10, 26)) == ForecastError(
        days=2, mean_absolute_error=1.5, forecast_total=22, present_total=21
    )
    # 19/10 alone had no history: forecast 10, 8 came.
    assert forecast_error(history, since=date(2026, 10, 19)) == ForecastError(
        days=3, mean_absolute_error=(2 + 2 + 1) / 3, forecast_total=32, present_total=29
    )
    assert forecast_error(history, since=date(2026, 11, 3)) is None
