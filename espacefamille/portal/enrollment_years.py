""" "Mes inscriptions" per child: the enrolments grouped by school year, this year first (then
the years to come, then the past ones), and what every enrolment of a year shares (school,
class, site, period) said once for the year instead of on each service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from espacefamille.catalog.models import Enrollment

SHARED = ("school", "school_class", "site", "period")


@dataclass
class YearGroup:
    school_year: int
    is_current: bool
    shared: dict[str, str] = field(default_factory=dict)  # fact -> value common to the year
    rows: list[tuple[Enrollment, dict[str, str]]] = field(default_factory=list)  # and the rest

    @property
    def label(self) -> str:
        return f"{self.school_year}-{self.school_year + 1}"


def current_school_year(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def _facts(enrollment: Enrollment) -> dict[str, str]:
    return {
        "school": enrollment.school or "",
        "school_class": enrollment.school_class or "",
        "site": str(enrollment.site) if enrollment.site_id else "",
        "period": _("du %(start)s au %(end)s")
        % {"start": f"{enrollment.start_date:%d/%m/%Y}", "end": f"{enrollment.end_date:%d/%m/%Y}"},
    }


def enrollment_years(enrollments: list[Enrollment], today: date) -> list[YearGroup]:
    current = current_school_year(today)
    years: dict[int, list[Enrollment]] = {}
    for enrollment in enrollments:
        years.setdefault(enrollment.school_year, []).append(enrollment)
    order = sorted(years, key=lambda year: (year != current, year < current, abs(year - current)))
    groups = []
    for year in order:
        items = years[year]
        facts = {item.pk: _facts(item) for item in items}
        shared = {
            name: facts[items[0].pk][name]
            for name in SHARED
            if len({facts[item.pk][name] for item in items}) == 1
        }
        rows = [
            (item, {name: value for name, value in facts[item.pk].items() if name not in shared})
            for item in items
        ]
        groups.append(YearGroup(year, year == current, shared, rows))
    return groups
