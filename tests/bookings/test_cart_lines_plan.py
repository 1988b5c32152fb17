"""A cart's lines are read through the cart's index whatever the other carts of the town hold
(issue 17: a cart read must not grow with the town). The read filters on the cart and on the
town (the scope); without planner statistics, as after bulk inserts, SQLite walked the
town's ``municipality_id`` index instead: every open cart's lines for the four of one family
(4,000 other lines: 1.6 → 2.6 ms a read on the bench town)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Cart, CartLine
from espacefamille.bookings.validation import cart_lines_read
from espacefamille.households.models import Household

from ..factories import ChildFactory
from ..query_plans import indexes_leading_with, query_plan
from .conftest import MON_16, THU_12, Setup

OTHER_CARTS, LINES_EACH = 60, 20  # other families' open carts: 1,200 lines


def _other_carts(setup: Setup) -> None:
    """Other families' carts, written in bulk (no statistics refreshed)."""
    town, meal = setup.family.household.municipality, setup.p("REPAS")
    households = Household.objects.bulk_create(
        Household(municipality=town, name=f"FAMILLE {number}") for number in range(OTHER_CARTS)
    )
    children = [ChildFactory(household=household) for household in households]
    carts = Cart.objects.bulk_create(
        Cart(municipality=town, household=household) for household in households
    )
    CartLine.objects.bulk_create(
        CartLine(
            municipality=town,
            cart=cart,
            child=child,
            product=meal,
            date=MON_16 + timedelta(days=day),
        )
        for cart, child in zip(carts, children, strict=True)
        for day in range(LINES_EACH)
    )


def _plan(sql: str) -> str:
    if connection.vendor == "postgresql":
        # PostgreSQL's autovacuum keeps its statistics; here, on a table just filled, it has
        # not run yet.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {CartLine._meta.db_table}")
    return query_plan(sql)


def test_a_carts_lines_are_read_through_the_carts_index(setup: Setup) -> None:
    _other_carts(setup)
    household = setup.family.household
    cart_toggle(household=household, child=setup.paul, product=setup.p("REPAS"), day=THU_12)

    with CaptureQueriesContext(connection) as captured:
        read = cart_lines_read(household)
    assert [line.date for line in read.lines] == [THU_12]
    lines_sql = next(q["sql"] for q in captured.captured_queries if "bookings_cartline" in q["sql"])
    plan = _plan(lines_sql)
    indexes = indexes_leading_with(CartLine, "cart_id")
    assert indexes, "bookings_cartline has no index on cart_id"
    assert any(name in plan for name in indexes), plan
    assert "municipality_id_" not in plan, plan  # not the town's own index
