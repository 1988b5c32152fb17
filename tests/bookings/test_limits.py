"""The two-year limit on the day booked is the town's local date plus ``MAX_AHEAD`` (Paris),
also on the days the shortcut for the days surely inside it does not answer: late in the
evening, Paris is already on the next day while UTC is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from espacefamille.bookings.errors import Reason
from espacefamille.bookings.limits import MAX_AHEAD, check_in_range

LATE = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)  # 8 December, 00:30 in Paris
EARLY = datetime(2026, 12, 8, 0, 30, tzinfo=UTC)  # 8 December, 01:30 in Paris


def test_the_last_bookable_day_follows_the_paris_date() -> None:
    last = LATE.date() + timedelta(days=1) + MAX_AHEAD  # from Paris' 8 December
    assert check_in_range(last, LATE) is None
    refusal = check_in_range(last + timedelta(days=1), LATE)
    assert refusal is not None and refusal.reason == Reason.OUT_OF_RANGE


def test_the_days_well_inside_the_limit_are_accepted() -> None:
    for now in (LATE, EARLY):
        for ahead in (0, 1, 100, 727, 728, 729):
            assert check_in_range(now.date() + timedelta(days=ahead), now) is None


def test_the_day_after_the_limit_is_refused_at_any_hour() -> None:
    for now in (LATE, EARLY):
        last = datetime(2026, 12, 8).date() + MAX_AHEAD
        assert check_in_range(last, now) is None
        refused = check_in_range(last + timedelta(days=1), now)
        assert refused is not None and refused.reason == Reason.OUT_OF_RANGE
