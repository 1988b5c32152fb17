"""Opening days: weekday pattern, school periods vs holidays (zone data, offline), public
holidays (French names), closures the town declares, and data beyond the official range."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from espacefamille.catalog.calendar import TownCalendar, official_school_holidays
from espacefamille.catalog.models import Closure, Product, SchoolHoliday, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(scoped):  # type: ignore[no-untyped-def]
    service = Service.objects.create(municipality=scoped, name="Restaurant scolaire")
    return Product.objects.create(
        municipality=scoped, service=service, name="REPAS", weekdays="0134"
    )


def calendar(town, start=date(2026, 1, 1), end=date(2029, 12, 31)):  # type: ignore[no-untyped-def]
    return TownCalendar.load(town, start, end)


def test_public_holidays_have_french_names(town, product) -> None:  # type: ignore[no-untyped-def]
    cal = calendar(town)
    assert cal.closed_reason(product, date(2026, 11, 11)) == "Pas de service ce jour-là"
    assert cal.closed_reason(product, date(2027, 11, 11)) == "Jour férié : Armistice"
    assert cal.closed_reason(product, date(2026, 5, 14)) == "Jour férié : Ascension"


def test_school_holidays_follow_the_towns_zone(town, product) -> None:  # type: ignore[no-untyped-def]
    # Winter 2027: zone A and zone C are on holiday on different weeks.
    zone_c = official_school_holidays(2027, "C")
    zone_a = official_school_holidays(2027, "A")
    only_c = sorted(d for d in zone_c - zone_a if d.weekday() in (0, 1, 3, 4))
    assert only_c
    day = only_c[0]
    assert calendar(town).closed_reason(product, day) == "Vacances scolaires"
    town.holiday_zone = "A"
    town.save()
    assert calendar(town).is_open(product, day)


def test_holiday_product_opens_only_in_holidays(town, product) -> None:  # type: ignore[no-untyped-def]
    product.opens_in_school_periods, product.opens_in_holidays = False, True
    cal = calendar(town)
    assert cal.is_open(product, date(2026, 12, 21))  # Christmas holidays, a Monday
    assert cal.closed_reason(product, date(2026, 12, 14)) == (
        "Ouvert seulement pendant les vacances"
    )


def test_closure_for_some_products(town, product) -> None:  # type: ignore[no-untyped-def]
    other = Product.objects.create(
        municipality=town, service=product.service, name="PAI", weekdays="0134"
    )
    closure = Closure.objects.create(
        municipality=town,
        start_date=date(2026, 12, 7),
        end_date=date(2026, 12, 8),
        reason="Travaux cuisine",
    )
    closure.products.set([product], through_defaults={"municipality": product.municipality})
    cal = calendar(town)
    assert cal.closed_reason(product, date(2026, 12, 8)) == "Fermé : Travaux cuisine"
    assert cal.is_open(other, date(2026, 12, 8))
    assert cal.is_open(product, date(2026, 12, 10))


def test_beyond_official_data_the_towns_holidays_apply(town, product) -> None:  # type: ignore[no-untyped-def]
    assert official_school_holidays(2029, "C") == frozenset()  # no data, no crash
    assert calendar(town).is_open(product, date(2029, 2, 12))
    SchoolHoliday.objects.create(
        municipality=town,
        start_date=date(2029, 2, 10),
        end_date=date(2029, 2, 25),
        name="Vacances d'hiver",
    )
    assert calendar(town).closed_reason(product, date(2029, 2, 12)) == "Vacances scolaires"


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 8, 31)),
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    school=st.booleans(),
    holidays=st.booleans(),
)
def test_open_day_property(town, product, day, weekdays, school, holidays) -> None:  # type: ignore[no-untyped-def]
    product.weekdays = "".join(str(d) for d in sorted(weekdays))
    product.opens_in_school_periods, product.opens_in_holidays = school, holidays
    cal = calendar(town, date(2026, 1, 1), date(2028, 8, 31))
    is_holiday = day in official_school_holidays(day.year, "C")
    expected = (
        day.weekday() in weekdays
        and cal.public_holiday(day) is None
        and (holidays if is_holiday else school)
    )
    assert cal.is_open(product, day) == expected
