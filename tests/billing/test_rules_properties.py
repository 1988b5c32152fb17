"""Properties of the line rules over any month of attendance (hypothesis): one line per billed
day, justified absences billed only within each run's waiting days, totals to the cent."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from espacefamille.billing.models import LineKind
from espacefamille.billing.pricing import Prices
from espacefamille.billing.rules import day_lines, total_of

START = date(2026, 11, 2)
DAYS = [START + timedelta(days=n) for n in range(20)]
STATES = st.sampled_from([None, "present", "absent", "justified", "present_unbooked"])
PRICES = Prices(Decimal("3.33"), Decimal("4.44"), Decimal("1.11"))


@given(
    booked=st.lists(st.booleans(), min_size=20, max_size=20),
    states=st.lists(STATES, min_size=20, max_size=20),
    waiting=st.integers(min_value=0, max_value=3),
)
def test_line_rules_hold_for_any_month(
    booked: list[bool], states: list[str | None], waiting: int
) -> None:
    booked_days = [day for day, flag in zip(DAYS, booked, strict=True) if flag]
    recorded = {day: state for day, state in zip(DAYS, states, strict=True) if state}
    lines = day_lines(
        product_id=1,
        waiting_day_count=waiting,
        booked_days=booked_days,
        states=recorded,
        period=(DAYS[0], DAYS[-1]),
        price_on=lambda day: PRICES,
    )
    by_day = {line.day: line for line in lines}
    assert len(by_day) == len(lines)  # never two lines for one day
    for day in DAYS:
        state = recorded.get(day)
        line = by_day.get(day)
        if day in booked_days and state != "justified":
            assert line is not None
        if day not in booked_days:
            assert (line is not None) == (state in ("present", "present_unbooked"))
            if line:
                assert line.kind == LineKind.UNBOOKED_PRESENCE
    # Within each run of booked justified absences, at most ``waiting`` days, the first ones.
    run: list[date] = []
    for day in [*booked_days, None]:
        if day is not None and recorded.get(day) == "justified":
            run.append(day)
            continue
        billed = [d for d in run if d in by_day]
        assert billed == run[: min(waiting, len(run))]
        run = []
    assert total_of(lines) == sum((line.amount for line in lines), Decimal("0.00"))
    assert total_of(lines) == total_of(lines).quantize(Decimal("0.01"))
