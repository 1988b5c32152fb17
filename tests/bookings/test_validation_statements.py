"""Issue 17: a validation's reads before the lock are as few as they can be; the town (whose
calendar_version says whether the cached calendar holds) comes with the cart's lines, not in a
statement of its own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from espacefamille.bookings.cart import cart_toggle
from espacefamille.payments.cancellations import cart_validate

from .conftest import FRI_13, THU_12, Setup

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_town_is_read_with_the_cart_lines(setup: Setup) -> None:
    for day in (THU_12, FRI_13):
        cart_toggle(
            household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=day
        )
    with CaptureQueriesContext(connection) as queries:
        result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert result.ok and len(result.booked) == 2
    statements = [query["sql"] for query in queries.captured_queries]
    assert '"core_municipality"' in statements[0]  # joined to the cart's lines
    alone = [sql for sql in statements if sql.startswith('SELECT "core_municipality"."id"')]
    assert alone == []
