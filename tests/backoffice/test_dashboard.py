"""The dashboard page: its figures in a fixed number of queries whatever the bookings, each
chart with its data table, money the French way."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from espacefamille.backoffice.dashboard import town_dashboard
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking
from espacefamille.catalog.deadlines import PARIS
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog
from espacefamille.inquiries.models import Inquiry, InquiryCategory

from ..conftest import make_family
from ..factories import ChildFactory
from .helpers import Agent

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 10)  # a Tuesday
QUERY_BUDGET = 11


def _book_children(town: Municipality, count: int) -> None:
    """``count`` children of one family, each booked on the meal of every day of the week."""
    family = make_family(town, email=f"famille{count}@example.org")
    with municipality_scope(town):
        repas = Product.objects.get(name="REPAS")
        children = [ChildFactory(household=family.household) for _index in range(count)]
        bookings_record_history(
            bookings=[
                Booking(
                    municipality=town,
                    child=child,
                    product=repas,
                    date=TODAY + timedelta(days=offset),
                    status="validated",
                )
                for child in children
                for offset in (-1, 0, 2, 3)
            ]
        )


@pytest.fixture
def catalog(town: Municipality) -> Municipality:
    with municipality_scope(town):
        load_catalog(town)
    return town


def test_the_figures_take_a_fixed_number_of_queries(
    catalog: Municipality, django_assert_max_num_queries: Any
) -> None:
    _book_children(catalog, 1)
    with municipality_scope(catalog), django_assert_max_num_queries(QUERY_BUDGET):
        small = town_dashboard(municipality=catalog, today=TODAY)
    _book_children(catalog, 30)
    with municipality_scope(catalog), django_assert_max_num_queries(QUERY_BUDGET):
        large = town_dashboard(municipality=catalog, today=TODAY)
    assert (small.today_total, small.week_total) == (1, 4)
    assert (large.today_total, large.week_total) == (31, 124)


def test_the_page_shows_each_chart_with_its_table(catalog: Municipality, regie: Agent) -> None:
    _book_children(catalog, 2)
    with municipality_scope(catalog):
        category = InquiryCategory.objects.create(municipality=catalog, name="Autre")
        household = make_family(catalog, email="demande@example.org").household
        Inquiry.objects.create(
            municipality=catalog, household=household, category=category, text="Question"
        )
    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=PARIS), tick=False):
        response = regie.client.get("/agents/tableau-de-bord/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 4
    assert page.count("<details>") == 4
    for chart in ("chart-per-product", "chart-occupancy", "chart-per-day", "chart-revenue"):
        assert f'aria-labelledby="{chart}-title"' in page
    assert "<title>REPAS — Aujourd&#x27;hui : 2</title>" in page
    assert "0,00\u00a0€" in page  # no invoice yet: money the French way
    figures = response.context["dashboard"]
    assert figures.open_inquiries == 1
    # REPAS: 4 open days × 120 places, 2 children × 4 days; MERCREDI JOURNEE only opens on
    # Wednesday 11/11, a public holiday: no place offered, not shown.
    assert [(row.product, row.taken, row.capacity) for row in figures.occupancy] == [
        ("REPAS", 8, 480)
    ]
    assert "<td>8</td><td>480</td><td>1\u00a0%</td>" in page.replace("&nbsp;", "\u00a0")
