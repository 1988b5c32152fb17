"""Reads of reported absences: a family's list, and the reports an attendance sheet shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from espacefamille.households.models import Household

from .models import AbsenceOutcome, AbsenceReport


def household_absence_reports(*, household: Household) -> QuerySet[AbsenceReport]:
    return AbsenceReport.objects.filter(household=household).select_related("child")


@dataclass(frozen=True)
class AbsenceLine:
    """A reported absence as the family home lists it."""

    child_name: str
    first_day: date
    last_day: date
    outcome_label: str


def latest_absence_lines(*, household: Household, limit: int) -> list[AbsenceLine]:
    """The household's ``limit`` latest reports (newest first day first), as rows."""
    labels = dict(AbsenceOutcome.choices)
    rows = (
        AbsenceReport.objects.filter(household=household)
        .order_by("-first_day", "-pk")
        .values_list("child__first_name", "first_day", "last_day", "outcome")[:limit]
    )
    return [
        AbsenceLine(name, first_day, last_day, str(labels.get(outcome, outcome)))
        for name, first_day, last_day, outcome in rows
    ]


def day_absence_reports(*, child_ids: Iterable[int], day: date) -> dict[int, AbsenceReport]:
    """The report covering ``day`` of each child (the latest one). One query."""
    found: dict[int, AbsenceReport] = {}
    for report in AbsenceReport.objects.filter(
        child_id__in=list(child_ids), first_day__lte=day, last_day__gte=day
    ).order_by("pk"):
        found[report.child_id] = report
    return found


def town_pending_reports(*, limit: int = 50) -> list[AbsenceReport]:
    """Certificates waiting for an agent's answer, the oldest first."""
    return list(
        AbsenceReport.objects.filter(outcome=AbsenceOutcome.PENDING)
        .select_related("child")
        .order_by("first_day", "pk")[:limit]
    )
