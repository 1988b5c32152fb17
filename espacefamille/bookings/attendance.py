"""Attendance ("pointage"), recorded by agents (the back office calls this later)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from espacefamille.catalog.models import Product
from espacefamille.households.models import Child

from .models import Attendance, AttendanceState

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@transaction.atomic
def attendance_record(
    *, child: Child, product: Product, day: date, state: str, user: User | None
) -> Attendance:
    if state not in AttendanceState.values:
        raise ValueError(f"Unknown attendance state {state!r}")
    attendance, _created = Attendance.objects.update_or_create(
        municipality_id=child.municipality_id,
        child=child,
        product=product,
        date=day,
        defaults={"state": state, "recorded_by": user, "recorded_at": timezone.now()},
    )
    return attendance


def waiting_days(*, states: dict[date, str], booked_days: list[date], count: int) -> set[date]:
    """ "Jours de carence": the first ``count`` booked days of each run of justified absences
    (a run is broken by any booked day that is not a justified absence)."""
    result: set[date] = set()
    run = 0
    for day in sorted(booked_days):
        if states.get(day) == AttendanceState.JUSTIFIED:
            run += 1
            if run <= count:
                result.add(day)
        else:
            run = 0
    return result
