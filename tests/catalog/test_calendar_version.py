"""Pages reuse a town's calendar for one ``calendar_version``; any change of its closures or
local school holidays bumps the version, so the next page read sees it."""

from __future__ import annotations

from datetime import date

import pytest

from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.models import Closure, Product, SchoolHoliday
from espacefamille.core.models import Municipality
from espacefamille.demo.catalog import load_catalog

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 16)


def _fresh(town: Municipality) -> Municipality:
    return Municipality.objects.get(pk=town.pk)


def test_a_new_closure_reaches_the_cached_calendar(scoped: Municipality) -> None:
    load_catalog(scoped)
    meal = Product.objects.get(name="REPAS")
    assert TownCalendar.load(_fresh(scoped), DAY, DAY, cached=True).is_open(meal, DAY)
    closure = Closure.objects.create(
        municipality=scoped, start_date=DAY, end_date=DAY, reason="Grève"
    )
    assert TownCalendar.load(_fresh(scoped), DAY, DAY, cached=True).closed_reason(meal, DAY) == (
        "Fermé : Grève"
    )
    # Limiting the closure to another product reopens REPAS.
    closure.products.add(Product.objects.get(name="PAI"), through_defaults={"municipality": scoped})
    assert TownCalendar.load(_fresh(scoped), DAY, DAY, cached=True).is_open(meal, DAY)
    closure.delete()
    SchoolHoliday.objects.create(municipality=scoped, start_date=DAY, end_date=DAY, name="Pont")
    cached = TownCalendar.load(_fresh(scoped), DAY, DAY, cached=True)
    assert cached.is_school_holiday(DAY)
    assert cached.closed_reason(meal, DAY) == "Vacances scolaires"


def test_cached_and_fresh_calendars_agree(scoped: Municipality) -> None:
    load_catalog(scoped)
    Closure.objects.create(
        municipality=scoped, start_date=date(2026, 12, 1), end_date=date(2026, 12, 3), reason="X"
    )
    SchoolHoliday.objects.create(
        municipality=scoped, start_date=date(2026, 11, 20), end_date=date(2026, 11, 20), name="P"
    )
    start, end = date(2026, 11, 1), date(2026, 12, 31)
    cached = TownCalendar.load(_fresh(scoped), start, end, cached=True)
    fresh = TownCalendar.load(_fresh(scoped), start, end)
    assert cached.local_holidays == fresh.local_holidays
    assert cached.closures == fresh.closures
