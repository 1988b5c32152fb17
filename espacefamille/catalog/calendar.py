"""Which days are school days, school holidays, public holidays or closures for a town.

Official school holidays come offline from ``vacances-scolaires-france`` (zones A/B/C); outside
its data range, and for local exceptions, the town's own ``SchoolHoliday`` rows apply. Public
holidays come from ``holidays`` with their French names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import holidays as pyholidays
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

from espacefamille.core.dates import daterange
from espacefamille.core.models import Municipality

from .models import Closure, Product, SchoolHoliday

_OFFICIAL = SchoolHolidayDates()


@lru_cache(maxsize=64)
def official_school_holidays(year: int, zone: str) -> frozenset[date]:
    try:
        days = _OFFICIAL.holidays_for_year_and_zone(year, zone)
    except UnsupportedYearException:
        return frozenset()
    return frozenset(days)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    return dict(pyholidays.France(language="fr", years=year))


# start, end, product ids (none: all), reason, site ids (none: all)
Closures = list[tuple[date, date, frozenset[int], str, frozenset[int]]]


@lru_cache(maxsize=512)
def _town_days(municipality_id: int, version: int) -> tuple[frozenset[date], tuple]:
    """Every local school holiday and closure of a town, for one ``calendar_version``. A
    version is drawn in the same transaction as the change it stands for and never drawn
    again, so the rows read for a version seen committed are the rows of that version."""
    holidays: set[date] = set()
    for holiday in SchoolHoliday.objects.filter(municipality_id=municipality_id):
        holidays.update(daterange(holiday.start_date, holiday.end_date))
    return frozenset(holidays), tuple(
        _closures(Closure.objects.filter(municipality_id=municipality_id))
    )


def _closures(query: QuerySet[Closure]) -> Closures:
    """Closures with their products and sites in one query (no product: every product; no
    site: every site); a re-opened closure closes nothing."""
    grouped: dict[int, tuple[date, date, set[int], str, set[int]]] = {}
    rows = query.filter(reopened_at__isnull=True).values_list(
        "pk", "start_date", "end_date", "reason", "products", "sites"
    )
    for pk, start, end, reason, product_id, site_id in rows:
        entry = grouped.setdefault(pk, (start, end, set(), reason, set()))
        if product_id is not None:
            entry[2].add(product_id)
        if site_id is not None:
            entry[4].add(site_id)
    return [
        (start, end, frozenset(ids), reason, frozenset(sites))
        for start, end, ids, reason, sites in grouped.values()
    ]


@dataclass
class TownCalendar:
    """A town's calendar over a date range, loaded in two queries (none when a page may reuse
    the same version of it) and then pure."""

    municipality: Municipality
    start: date
    end: date
    local_holidays: set[date] = field(default_factory=set)
    closures: Closures = field(default_factory=list)

    @classmethod
    def load(
        cls, municipality: Municipality, start: date, end: date, *, cached: bool = False
    ) -> TownCalendar:
        """``cached``: reuse the rows read for the town's ``calendar_version`` (the caller has
        just read ``municipality`` from the database)."""
        cal = cls(municipality, start, end)
        if cached:
            holidays, closures = _town_days(municipality.pk, municipality.calendar_version)
            cal.local_holidays = {d for d in holidays if start <= d <= end}
            cal.closures = [c for c in closures if c[0] <= end and c[1] >= start]
            return cal
        for holiday in SchoolHoliday.objects.filter(start_date__lte=end, end_date__gte=start):
            cal.local_holidays.update(daterange(holiday.start_date, holiday.end_date))
        cal.closures = _closures(Closure.objects.filter(start_date__lte=end, end_date__gte=start))
        return cal

    def is_school_holiday(self, day: date) -> bool:
        if day in self.local_holidays:
            return True
        return day in official_school_holidays(day.year, self.municipality.holiday_zone)

    def public_holiday(self, day: date) -> str | None:
        return public_holidays(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.public_holiday(day) is None

    def closure_reason(self, product: Product, day: date, site_id: int | None = None) -> str | None:
        """A closure of some sites closes the day only to the children of those sites
        (``site_id``: the child's site for that product)."""
        for start, end, product_ids, reason, site_ids in self.closures:
            if (
                start <= day <= end
                and (not product_ids or product.pk in product_ids)
                and (not site_ids or site_id in site_ids)
            ):
                return reason
        return None

    def closed_reason(self, product: Product, day: date, site_id: int | None = None) -> str | None:
        """Why ``product`` does not open on ``day`` (French, for families), or None."""
        if day.weekday() not in product.weekday_set:
            return _("Pas de service ce jour-là")
        name = self.public_holiday(day)
        if name:
            return _("Jour férié : %(name)s") % {"name": name}
        reason = self.closure_reason(product, day, site_id)
        if reason:
            return _("Fermé : %(reason)s") % {"reason": reason}
        if self.is_school_holiday(day):
            if not product.opens_in_holidays:
                return _("Vacances scolaires")
        elif not product.opens_in_school_periods:
            return _("Ouvert seulement pendant les vacances")
        return None

    def is_open(self, product: Product, day: date) -> bool:
        return self.closed_reason(product, day) is None
