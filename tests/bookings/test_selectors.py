"""Reads of the family pages: the cart panel's grouping and amounts, the week view over several
weeks in a fixed number of queries, the services, children and enrolments to show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from espacefamille.bookings.agenda import CellState
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import CartLine
from espacefamille.bookings.selectors import (
    agenda_cells,
    agenda_weeks,
    cart_summary,
    enrolled_children,
    household_enrollments,
    household_services,
)
from espacefamille.catalog.models import Product
from espacefamille.payments.cancellations import cart_validate

from ..factories import ChildFactory
from .conftest import FRI_13, MON_16, THU_12, TUE_17, Setup

pytestmark = pytest.mark.django_db(transaction=True)

WED_18 = date(2026, 11, 18)


def _toggle(s: Setup, child, product: str, day):  # type: ignore[no-untyped-def]
    return cart_toggle(household=s.family.household, child=child, product=s.p(product), day=day)


def test_cart_summary_groups_by_child_then_product(setup: Setup) -> None:
    _toggle(setup, setup.paul, "REPAS", MON_16)
    cart_validate(household=setup.family.household, user=setup.family.user)
    _toggle(setup, setup.paul, "REPAS", FRI_13)
    _toggle(setup, setup.paul, "REPAS", THU_12)
    _toggle(setup, setup.paul, "GARDERIE AVANT REPAS", THU_12)
    _toggle(setup, setup.julie, "MERCREDI JOURNEE", WED_18)
    _toggle(setup, setup.paul, "REPAS", MON_16)  # a cancellation
    CartLine.objects.filter(date=FRI_13).update(error="Fermé : Grève")
    summary = cart_summary(household=setup.family.household)
    # Julie and Paul share a birth date: then by first name.
    assert [
        (g.child.first_name, [(p.product.name, p.count) for p in g.products])
        for g in summary.additions
    ] == [
        ("Julie", [("MERCREDI JOURNEE", 1)]),
        ("Paul", [("REPAS", 2), ("GARDERIE AVANT REPAS", 1)]),
    ]
    paul_meals = summary.additions[1].products[0]
    assert [line.date for line in paul_meals.lines] == [THU_12, FRI_13]  # sorted by date
    assert [line.date for line in paul_meals.failed] == [FRI_13]
    assert [
        (g.child.first_name, [(p.product.name, [x.date for x in p.lines]) for p in g.products])
        for g in summary.cancellations
    ] == [("Paul", [("REPAS", [MON_16])])]
    assert summary.count == 5 and summary.failed == 1 and not summary.is_empty
    assert summary.has_prepaid and summary.has_postpaid
    assert summary.total_prepaid == Decimal("12.00")  # MERCREDI JOURNEE
    assert summary.estimate_postpaid == Decimal("8.00")  # 2 × 3,50 + 1,00; cancellations free


def test_empty_cart_summary(setup: Setup) -> None:
    summary = cart_summary(household=setup.family.household)
    assert summary.is_empty and summary.additions == [] and summary.total_prepaid == 0


def _count(fn) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_agenda_weeks_states_and_bounded_queries(setup: Setup) -> None:
    household, service = setup.family.household, setup.restaurant
    _toggle(setup, setup.paul, "REPAS", MON_16)
    cart_validate(household=household, user=setup.family.user)
    _toggle(setup, setup.paul, "REPAS", THU_12)
    weeks = agenda_weeks(
        household=household, child=setup.paul, service=service, monday=date(2026, 11, 9), weeks=2
    )
    assert [w.monday for w in weeks] == [date(2026, 11, 9), MON_16]
    assert weeks[0].number == 46 and weeks[0].last_day == FRI_13
    meals = {c.day: c.state for c in weeks[0].rows[0].cells} | {
        c.day: c.state for c in weeks[1].rows[0].cells
    }
    assert meals[date(2026, 11, 9)] == CellState.NOT_BOOKABLE
    assert meals[date(2026, 11, 11)] == CellState.CLOSED
    assert meals[THU_12] == CellState.CART_ADD
    assert meals[FRI_13] == CellState.BOOKABLE
    assert meals[MON_16] == CellState.VALIDATED
    assert meals[TUE_17] == CellState.BOOKABLE

    def one_week() -> None:
        agenda_weeks(
            household=household,
            child=setup.paul,
            service=service,
            monday=date(2026, 11, 9),
            weeks=1,
        )

    small = _count(one_week)
    for i in range(4):
        Product.objects.create(
            municipality=setup.paul.municipality,
            service=service,
            name=f"ATELIER {i}",
            weekdays="01234",
            capacity=5,
        )

    def five_weeks() -> None:
        agenda_weeks(
            household=household,
            child=setup.paul,
            service=service,
            monday=date(2026, 11, 9),
            weeks=5,
        )

    assert _count(five_weeks) == small
    cells = agenda_cells(
        household=household, child=setup.paul, product=setup.p("REPAS"), day=THU_12
    )
    # The clicked cell, and the same day's cells of its rivals (REPAS VEGETARIEN, PAI).
    assert {c.product.name for c in cells} == {"REPAS", "REPAS VEGETARIEN", "PAI"}
    assert {c.day for c in cells} == {THU_12}
    (cell,) = [c for c in cells if c.product.name == "REPAS"]
    assert cell.state == CellState.CART_ADD
    # A flat-rate product: one click changes its whole row.
    _toggle(setup, setup.paul, "FORFAIT GARDERIE DU SOIR", date(2026, 12, 7))
    cells = agenda_cells(
        household=household,
        child=setup.paul,
        product=setup.p("FORFAIT GARDERIE DU SOIR"),
        day=date(2026, 12, 7),
        monday=date(2026, 11, 30),
        weeks=2,
    )
    flat = [c for c in cells if c.product.name == "FORFAIT GARDERIE DU SOIR"]
    assert len(flat) == 10
    states = {c.day: c.state for c in flat}
    assert states[date(2026, 12, 7)] == states[date(2026, 12, 10)] == CellState.CART_ADD
    assert states[date(2026, 12, 9)] == CellState.CLOSED  # no evening daycare on Wednesdays
    # The evening slot it covers changes on every day of the weeks shown.
    evening = {c.day: c for c in cells if c.product.name == "GARDERIE 16H30 A 18H30"}
    assert len(evening) == 10
    covered = [c for c in evening.values() if c.state != CellState.CLOSED and c.day.month == 12]
    assert covered and {c.state for c in covered} == {CellState.NOT_BOOKABLE}
    assert {c.short_reason for c in covered} == {"couvert par un forfait"}
    assert evening[date(2026, 11, 30)].state == CellState.BOOKABLE  # November is not covered


def test_services_children_and_enrollments(setup: Setup) -> None:
    household = setup.family.household
    assert [s.name for s in household_services(household=household)] == [
        "Restaurant scolaire",
        "Garderie",
        "Accueil du mercredi",
    ]
    newcomer = ChildFactory(household=household, first_name="Arthur", birth_date=date(2021, 1, 1))
    assert newcomer not in enrolled_children(household=household, service=setup.restaurant)
    assert {
        c.first_name for c in enrolled_children(household=household, service=setup.restaurant)
    } == {"Paul", "Julie"}
    rows = dict(household_enrollments(household=household))
    assert rows[newcomer] == []
    paul = rows[setup.paul]
    assert [e.school_year_label for e in paul][:3] == ["2027-2028"] * 3  # latest year first
    assert {e.service.name for e in paul} == {
        "Restaurant scolaire",
        "Garderie",
        "Accueil du mercredi",
    }
