"""Who has a shared child which day ("garde alternée"): a pure reading of the child's
``CustodyPattern``. It pre-fills "Réserver pour une période", warns a household booking the
other's days, and says which household pays a presence nobody booked; it never refuses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from espacefamille.core.dates import monday_of

from .models import (
    Child,
    ChildHousehold,
    CustodyKind,
    CustodyPattern,
    PresenceBilling,
    SharingSettings,
)

WEEKDAY_DIGITS = frozenset("0123456")  # Monday is 0


def weekday_set(text: str) -> set[int]:
    """The weekdays of a stored "0,2,4" (anything else is dropped)."""
    return {int(part) for part in (p.strip() for p in text.split(",")) if part in WEEKDAY_DIGITS}


def custody_household_id(
    pattern: CustodyPattern | None, household_ids: list[int], day: date
) -> int | None:
    """The household whose day ``day`` is (``household_ids``: the child's households, the
    first one first), or None when the pattern is free or there is no other household."""
    if pattern is None or len(household_ids) < 2 or pattern.kind == CustodyKind.FREE:
        return None
    home, other = household_ids[0], household_ids[1]
    if pattern.kind == CustodyKind.ALTERNATE_WEEKS:
        if pattern.start_date is None:
            return None
        weeks = (monday_of(day) - monday_of(pattern.start_date)).days // 7
        return home if weeks % 2 == 0 else other
    return home if day.weekday() in weekday_set(pattern.home_weekdays) else other


def custody_days(
    pattern: CustodyPattern | None,
    household_ids: list[int],
    household_id: int,
    days: Iterable[date],
) -> list[date]:
    """The days of ``days`` that are ``household_id``'s (every day when the pattern is free)."""
    return [
        day
        for day in days
        if custody_household_id(pattern, household_ids, day) in (None, household_id)
    ]


def child_custody(child_id: int) -> tuple[CustodyPattern | None, list[int]]:
    """The child's pattern and households (first one first)."""
    home = Child.objects.values_list("household_id", flat=True).get(pk=child_id)
    others = list(
        ChildHousehold.objects.filter(child_id=child_id, ended_at__isnull=True)
        .order_by("linked_at", "pk")
        .values_list("household_id", flat=True)
    )
    return CustodyPattern.objects.filter(child_id=child_id).first(), [home, *others]


def presence_billed_to(municipality_id: int) -> str:
    settings = SharingSettings.objects.filter(municipality_id=municipality_id).first()
    return settings.presence_billed_to if settings else PresenceBilling.CUSTODY


@dataclass(frozen=True)
class HouseholdCustody:
    """A shared child's custody as one household sees it (for the period wizard)."""

    pattern: CustodyPattern
    household_ids: list[int]
    household_id: int

    def is_mine(self, day: date) -> bool:
        return custody_household_id(self.pattern, self.household_ids, day) in (
            None,
            self.household_id,
        )

    def weekdays(self) -> set[int]:
        """The weekdays to pre-tick: the household's weekdays, or every weekday when it has
        the child whole weeks."""
        if self.pattern.kind == CustodyKind.WEEKDAYS:
            home = weekday_set(self.pattern.home_weekdays)
            mine = home if self.household_id == self.household_ids[0] else set(range(7)) - home
            return mine
        return set(range(7))

    def describe(self) -> str:
        if self.pattern.kind == CustodyKind.ALTERNATE_WEEKS and self.pattern.start_date:
            first = monday_of(self.pattern.start_date)
            if self.household_id != self.household_ids[0]:
                first += timedelta(days=7)
            return _("une semaine sur deux, à partir de la semaine du %(day)s") % {
                "day": first.strftime("%d/%m/%Y")
            }
        return _("certains jours de la semaine")


def household_custody(child: Child, household_id: int) -> HouseholdCustody | None:
    """The custody of a shared child with a pattern, for ``household_id``; None otherwise."""
    pattern, household_ids = child_custody(child.pk)
    if (
        pattern is None
        or pattern.kind == CustodyKind.FREE
        or len(household_ids) < 2
        or household_id not in household_ids
    ):
        return None
    return HouseholdCustody(pattern, household_ids, household_id)


def next_custody_week(custody: HouseholdCustody, today: date) -> tuple[date, date] | None:
    """The household's next week with the child (alternate weeks): from today or its Monday
    to its Friday; None for other patterns."""
    if custody.pattern.kind != CustodyKind.ALTERNATE_WEEKS:
        return None
    monday = monday_of(today)
    for week in range(3):
        start = monday + timedelta(weeks=week)
        friday = start + timedelta(days=4)
        if friday >= today and custody.is_mine(start):
            return max(start, today), friday
    return None


def household_custodies(household_id: int, children: Iterable[Child]) -> list[HouseholdCustody]:
    """The custody of each of ``children`` shared with a pattern, for ``household_id``."""
    found = (household_custody(child, household_id) for child in children)
    return [custody for custody in found if custody is not None]
