"""Which days are school days, school holidays, public holidays or closures for a town.

Official school holidays come offline from ``vacances-scolaires-france`` (zones A/B/C); outside
its data range, and for local exceptions, the town's own ``SchoolHoliday`` rows apply. Public
holidays come from ``holidays`` with their French names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import holidays as pyholidays
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


@dataclass
class TownCalendar:
    """A town's calendar over a date range, loaded in three queries and then pure."""

    municipality: Municipality
    start: date
    end: date
    local_holidays: set[date] = field(default_factory=set)
    closures: list[tuple[date, date, frozenset[int], str]] = field(default_factory=list)

    @classmethod
    def load(cls, municipality: Municipality, start: date, end: date) -> TownCalendar:
        cal = cls(municipality, start, end)
        for holiday in SchoolHoliday.objects.filter(start_date__lte=end, end_date__gte=start):
            cal.local_holidays.update(daterange(holiday.start_date, holiday.end_date))
        closures = Closure.objects.filter(start_date__lte=end, end_date__gte=start)
        for closure in closures.prefetch_related("products"):
            product_ids = frozenset(p.pk for p in closure.products.all())
            cal.closures.append((closure.start_date, closure.end_date, product_ids, closure.reason))
        return cal

    def is_school_holiday(self, day: date) -> bool:
        if day in self.local_holidays:
            return True
        return day in official_school_holidays(day.year, self.municipality.holiday_zone)

    def public_holiday(self, day: date) -> str | None:
        return public_holidays(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.public_holiday(day) is None

    def closure_reason(self, product: Product, day: date) -> str | None:
        for start, end, product_ids, reason in self.closures:
            if start <= day <= end and (not product_ids or product.pk in product_ids):
                return reason
        return None

    def closed_reason(self, product: Product, day: date) -> str | None:
        """Why ``product`` does not open on ``day`` (French, for families), or None."""
        if day.weekday() not in product.weekday_set:
            return _("Pas de service ce jour-là")
        name = self.public_holiday(day)
        if name:
            return _("Jour férié : %(name)s") % {"name": name}
        reason = self.closure_reason(product, day)
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
