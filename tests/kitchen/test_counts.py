"""The kitchen counts on a hand-checked example: which bookings count as meals, per site and
product, per diet (a child with two diets in both), the PAI children, the forecast from the
attendance of past weeks (a child present without a booking is not in it), the period's limit
and a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest

from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Attendance, Booking, BookingStatus
from espacefamille.catalog.services import enrollment_enroll
from espacefamille.core.models import Municipality
from espacefamille.households.models import Child, Diet
from espacefamille.kitchen.counts import check_period, kitchen_counts

from ..bookings.conftest import THU_12, Setup
from ..factories import ChildFactory, site_named

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 10)  # the frozen "now" of ``setup``
THU_05, THU_29_OCT = date(2026, 11, 5), date(2026, 10, 29)


def _child(setup: Setup, first_name: str, site: str, school_class: str = "") -> Child:
    child = ChildFactory(household=setup.family.household, first_name=first_name)
    enrollment_enroll(
        child=child,
        service=setup.restaurant,
        site=site_named(child.municipality_id, site),
        school_class=school_class,
    )
    return child


def _book(setup: Setup, child: Child, product: str, day: date, status: str) -> None:
    bookings_record_history(
        bookings=[
            Booking(
                municipality_id=child.municipality_id,
                child=child,
                product=setup.p(product),
                date=day,
                status=status,
            )
        ]
    )


@pytest.fixture
def canteen(town: Municipality, setup: Setup) -> dict[str, Child]:
    pork, veggie = (
        Diet.objects.get_or_create(municipality=town, label=label)[0]
        for label in ("Sans porc", "Végétarien")
    )
    enrollment_enroll(
        child=setup.paul, service=setup.restaurant, site=site_named(town, "Jules Ferry")
    )
    enrollment_enroll(
        child=setup.julie, service=setup.restaurant, site=site_named(town, "Jules Ferry")
    )
    setup.julie.diets.set([pork], through_defaults={"municipality": town})
    lea = _child(setup, "Léa", "Pasteur", "CM1")
    lea.has_care_plan = True
    lea.save()
    lea.diets.set([pork, veggie], through_defaults={"municipality": town})
    children = {
        "paul": setup.paul,
        "julie": setup.julie,
        "lea": lea,
        "tom": _child(setup, "Tom", "Jules Ferry"),
        "zoe": _child(setup, "Zoé", "Jules Ferry"),
        "max": _child(setup, "Max", "Jules Ferry"),
    }
    _book(setup, children["paul"], "REPAS", THU_12, BookingStatus.VALIDATED)
    _book(setup, children["julie"], "REPAS", THU_12, BookingStatus.CANCEL_REQUESTED)
    _book(setup, lea, "PAI", THU_12, BookingStatus.VALIDATED)
    _book(setup, children["tom"], "REPAS", THU_12, BookingStatus.REQUESTED)
    _book(setup, children["zoe"], "REPAS", THU_12, BookingStatus.CANCELLED)
    _book(setup, children["max"], "REPAS", THU_12, BookingStatus.REFUSED)
    return children


def _attendance(setup: Setup, child: Child, day: date, state: str) -> None:
    Attendance.objects.create(
        municipality_id=child.municipality_id,
        child=child,
        product=setup.p("REPAS"),
        date=day,
        state=state,
    )


def _sites(setup: Setup, day: date = THU_12) -> dict[str, dict[str, tuple[int, int, int]]]:
    counts = kitchen_counts(service=setup.restaurant, start=day, end=day, today=TODAY)
    return {
        site.site: {c.product.name: (c.booked, c.requested, c.forecast) for c in site.products}
        for site in counts.days[0].sites
    }


def test_validated_and_cancel_requested_count_requests_apart(
    setup: Setup, canteen: dict[str, Child]
) -> None:
    sites = _sites(setup)
    assert set(sites) == {"Jules Ferry", "Pasteur"}
    # Paul (validated) + Julie (cancellation requested); Tom's request apart; Zoé, Max: none.
    assert sites["Jules Ferry"]["REPAS"] == (2, 1, 2)
    assert sites["Jules Ferry"]["PAI"] == (0, 0, 0)
    assert sites["Pasteur"]["PAI"] == (1, 0, 1)
    counts = kitchen_counts(service=setup.restaurant, start=THU_12, end=THU_12, today=TODAY)
    totals = {count.product.name: count.booked for count in counts.days[0].totals}
    assert totals == {"REPAS": 2, "REPAS VEGETARIEN": 0, "PAI": 1}
    counted = Booking.objects.filter(
        date=THU_12, status__in=[BookingStatus.VALIDATED, BookingStatus.CANCEL_REQUESTED]
    ).count()
    assert counts.days[0].booked == counted == 3


def test_diets_count_each_child_in_each_of_its_diets_and_pai_children_are_listed(
    setup: Setup, canteen: dict[str, Child]
) -> None:
    counts = kitchen_counts(service=setup.restaurant, start=THU_12, end=THU_12, today=TODAY)
    by_site = {site.site: site for site in counts.days[0].sites}
    assert by_site["Jules Ferry"].diets == [("Sans porc", 1)]
    assert by_site["Pasteur"].diets == [("Sans porc", 1), ("Végétarien", 1)]
    assert [(c.name, c.school_class) for c in by_site["Pasteur"].care_plan] == [
        ("Léa DUPONT", "CM1")
    ]
    assert by_site["Jules Ferry"].care_plan == []


def test_forecast_from_past_weeks_leaves_out_children_present_without_booking(
    setup: Setup, canteen: dict[str, Child]
) -> None:
    paul, julie, tom = canteen["paul"], canteen["julie"], canteen["tom"]
    for child in (paul, julie):
        _attendance(setup, child, THU_29_OCT, "present")
        _attendance(setup, child, THU_05, "absent")
        _attendance(setup, tom, THU_05 if child is paul else THU_29_OCT, "present_unbooked")
    # 2 of 4 booked children absent on the last Thursdays: 2 booked → 1 expected.
    assert _sites(setup)["Jules Ferry"]["REPAS"] == (2, 1, 1)
    counts = kitchen_counts(service=setup.restaurant, start=THU_12, end=THU_12, today=TODAY)
    (line,) = counts.errors
    # 29/10: no history before, forecast 2, 2 came; 05/11: from 29/10 (none absent) 2, 0 came.
    assert (line.product.name, line.site, line.error.days) == ("REPAS", "Jules Ferry", 2)
    assert line.error.mean_absolute_error == 1.0
    assert (line.error.forecast_total, line.error.present_total) == (4, 2)


def test_period_is_bounded_with_a_french_message() -> None:
    check_period(date(2026, 12, 1), date(2026, 12, 31))
    with pytest.raises(BookingError, match="31 jours") as refused:
        check_period(date(2026, 12, 1), date(2027, 1, 1))
    assert refused.value.reason == Reason.PERIOD_TOO_LONG
    with pytest.raises(BookingError, match="date de fin"):
        check_period(date(2026, 12, 2), date(2026, 12, 1))


def test_counts_take_a_fixed_number_of_queries(
    setup: Setup, canteen: dict[str, Child], django_assert_max_num_queries: object
) -> None:
    def count_queries() -> None:
        with django_assert_max_num_queries(3):  # type: ignore[operator]
            kitchen_counts(
                service=setup.restaurant, start=TODAY, end=date(2026, 12, 10), today=TODAY
            )

    count_queries()
    for name in ("Ana", "Eli", "Ugo"):
        child = _child(setup, name, f"Site {name}")
        _book(setup, child, "REPAS", date(2026, 11, 16), BookingStatus.VALIDATED)
        _attendance(setup, child, THU_05, "present")
    count_queries()
