"""Deadline rules: parsing, each kind, wall-clock time kept across DST, midnight."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from espacefamille.catalog.deadlines import PARIS, DeadlineRule


def weekdays_only(day: date) -> bool:
    return day.weekday() < 5


rules = (
    st.builds(
        lambda kind, n, h, m: f"{kind}:{n}@{h:02d}:{m:02d}",
        st.sampled_from(["days", "workdays"]),
        st.integers(0, 30),
        st.integers(0, 23),
        st.integers(0, 59),
    )
    | st.builds(
        lambda w, h, m: f"prevweek:{w}@{h:02d}:{m:02d}",
        st.integers(0, 6),
        st.integers(0, 23),
        st.integers(0, 59),
    )
    | st.builds(
        lambda d, h, m: f"prevmonth:{d}@{h:02d}:{m:02d}",
        st.integers(1, 31),
        st.integers(0, 23),
        st.integers(0, 59),
    )
)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "days:2",
        "days:2@25:00",
        "hours:2@10:00",
        "prevweek:7@10:00",
        "prevmonth:0@10:00",
        "days:-1@10:00",
    ],
)
def test_bad_rules_are_refused_in_french(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        DeadlineRule.parse(text)
    assert any(w in " ".join(error.value.messages) for w in ("invalide", "va de"))


@given(rules)
def test_parse_round_trip(text: str) -> None:
    assert str(DeadlineRule.parse(text)) == text


@given(rules, days)
def test_deadline_keeps_its_wall_clock_time_and_precedes_the_day(text: str, day: date) -> None:
    rule = DeadlineRule.parse(text)
    deadline = rule.deadline(day, weekdays_only)
    local = deadline.astimezone(PARIS)
    # A deadline at HH:MM stays at HH:MM in Paris, summer or winter (except inside the
    # one-hour spring-forward gap, where no such wall-clock time exists).
    if not (local.month == 3 and local.weekday() == 6 and 2 <= rule.at.hour < 3):
        assert (local.hour, local.minute) == (rule.at.hour, rule.at.minute)
    assert deadline.tzinfo is not None
    if rule.value > 0 or rule.kind in ("prevweek", "prevmonth"):
        assert local.date() < day
    assert local.date() <= day


@given(days, st.integers(0, 10))
def test_workdays_skip_weekends_and_count_exactly(day: date, n: int) -> None:
    rule = DeadlineRule.parse(f"workdays:{n}@10:00")
    result = rule.deadline_date(day, weekdays_only)
    between = [result + timedelta(days=i) for i in range((day - result).days)]
    assert sum(1 for d in between if weekdays_only(d)) - (1 if n else 0) <= n
    if n:
        assert weekdays_only(result)
        assert sum(1 for d in between[1:] if weekdays_only(d)) == n - 1


@given(days)
def test_prevweek_is_in_the_previous_iso_week(day: date) -> None:
    rule = DeadlineRule.parse("prevweek:3@12:00")  # Thursday of the week before
    result = rule.deadline_date(day, weekdays_only)
    assert result.weekday() == 3
    assert result.isocalendar()[:2] == (day - timedelta(days=7)).isocalendar()[:2]


@given(days, st.integers(1, 31))
def test_prevmonth_is_in_the_previous_month(day: date, n: int) -> None:
    result = DeadlineRule.parse(f"prevmonth:{n}@23:59").deadline_date(day, weekdays_only)
    first = day.replace(day=1)
    assert result < first
    assert result.replace(day=1) == (first - timedelta(days=1)).replace(day=1)
    assert result.day == n or result.day < n  # clamped to the month's last day


def test_two_days_before_at_ten_across_dst() -> None:
    rule = DeadlineRule.parse("days:2@10:00")
    # Monday 30/03/2026: deadline Saturday 28/03 10:00 CET (UTC+1) — DST starts Sunday 29.
    assert rule.deadline(date(2026, 3, 30), weekdays_only) == datetime(
        2026, 3, 28, 10, 0, tzinfo=PARIS
    )
    assert rule.deadline(date(2026, 3, 30), weekdays_only).hour == 9  # 10:00 CET = 09:00 UTC
    # Tuesday 31/03/2026: deadline Sunday 29/03 10:00 CEST (UTC+2) = 08:00 UTC.
    assert rule.deadline(date(2026, 3, 31), weekdays_only).hour == 8
    # Autumn: Monday 26/10/2026, deadline Saturday 24/10 10:00 CEST; Tuesday 27 → Sunday 25
    # 10:00 CET, 25 hours later in UTC terms the day before.
    sat = rule.deadline(date(2026, 10, 26), weekdays_only)
    sun = rule.deadline(date(2026, 10, 27), weekdays_only)
    assert (sun - sat) == timedelta(hours=25)


def test_deadline_at_midnight() -> None:
    rule = DeadlineRule.parse("days:0@00:00")  # until the very start of the day
    day = date(2026, 10, 25)  # DST ends this night
    deadline = rule.deadline(day, weekdays_only)
    assert deadline == datetime(2026, 10, 25, 0, 0, tzinfo=PARIS)
    just_before = datetime(2026, 10, 24, 23, 59, 59, tzinfo=PARIS)
    assert rule.allows(day, just_before, weekdays_only)
    assert not rule.allows(day, deadline, weekdays_only)  # strictly before
    assert not rule.allows(day, datetime(2026, 10, 25, 1, 30, tzinfo=PARIS), weekdays_only)


def test_the_day_before_at_1800_is_allowed_until_1759() -> None:
    rule = DeadlineRule.parse("days:1@18:00")
    day = date(2026, 11, 12)
    assert rule.allows(day, datetime(2026, 11, 11, 17, 59, tzinfo=PARIS), weekdays_only)
    assert not rule.allows(day, datetime(2026, 11, 11, 18, 0, tzinfo=PARIS), weekdays_only)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("days:2@10:00", "jusqu'à 2 jours avant, 10h00"),
        ("days:1@18:00", "jusqu'à la veille, 18h00"),
        ("workdays:3@12:30", "jusqu'à 3 jours ouvrés avant, 12h30"),
        ("prevweek:3@12:00", "jusqu'au jeudi de la semaine précédente, 12h00"),
        ("prevmonth:20@23:59", "jusqu'au 20 du mois précédent, 23h59"),
    ],
)
def test_rules_are_described_in_french(text: str, expected: str) -> None:
    assert DeadlineRule.parse(text).describe() == expected


def test_at_is_a_time() -> None:
    assert DeadlineRule.parse("days:2@10:05").at == time(10, 5)
