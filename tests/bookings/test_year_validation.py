"""Issue 17 (a): a school year's validation reads its lines with one object per related row
(the lines share their cart, town, child, product and service, as select_related would load
them, without a query when they are used), and books them in multi-row INSERTs that store
what ``bulk_create`` stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from espacefamille.bookings import validation
from espacefamille.bookings.cart import cart_add_period, cart_toggle
from espacefamille.bookings.models import Booking, BookingStatus, CartLine
from espacefamille.bookings.rows_insert import rows_insert
from espacefamille.payments.cancellations import cart_validate

from .conftest import FRI_13, NOW, THU_12, Setup

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_lines_share_their_related_objects(setup: Setup) -> None:
    """Fails on the old code: select_related built a child, product, service, cart and town
    for each line."""
    for child in (setup.paul, setup.julie):
        for day in (THU_12, FRI_13):
            cart_toggle(
                household=setup.family.household, child=child, product=setup.p("REPAS"), day=day
            )
    household = setup.family.household
    prepared = validation._prepare(household, NOW, validation.cart_lines_read(household))
    assert prepared is not None
    lines = prepared.lines
    assert len(lines) == 4
    with CaptureQueriesContext(connection) as queries:
        first, *others = lines
        for line in others:
            assert line.cart is first.cart
            assert line.municipality is first.municipality
            assert line.product is first.product
            assert line.product.service is first.product.service
        assert lines[0].child is lines[1].child and lines[2].child is lines[3].child
        assert lines[0].child is not lines[2].child
        assert {line.child.pk for line in lines} == {setup.paul.pk, setup.julie.pk}
        assert first.municipality.calendar_version == setup.paul.municipality.calendar_version
    assert queries.captured_queries == []
    # The lines' own order: the child's (birth date, first name), then the day.
    expected = sorted(
        CartLine.objects.all(), key=lambda line: (line.child.birth_date, line.child.first_name)
    )
    assert [(line.child_id, line.date) for line in lines] == [
        (line.child_id, line.date) for line in expected
    ]


def test_a_period_is_booked_as_bulk_create_stored_it(setup: Setup) -> None:
    """The rows written by the multi-row INSERTs: every field as given, ids in the lines'
    order, the places taken in the ledger."""
    household = setup.family.household
    monday = date(2026, 11, 16)
    result = cart_add_period(
        household=household,
        start=monday,
        end=monday + timedelta(days=13),
        patterns={setup.paul: {setup.p("REPAS"): {0, 1, 3, 4}}},
    )
    assert result.added == 8 and not result.skipped
    lines = list(CartLine.objects.order_by("date"))
    assert [line.cart_id for line in lines] == [lines[0].cart_id] * 8
    assert all(line.created_at is not None and line.error == "" for line in lines)
    with CaptureQueriesContext(connection) as queries:
        validated = cart_validate(household=household, user=setup.family.user)
    assert validated.ok and len(validated.booked) == 8
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT INTO")]
    assert len([sql for sql in inserts if '"bookings_booking"' in sql]) == 1
    stored = {b.pk: b for b in Booking.objects.all()}
    assert sorted(stored) == [b.pk for b in validated.booked]
    for booking in validated.booked:
        row = stored[booking.pk]
        assert (row.child_id, row.product_id, row.date) == (
            booking.child_id,
            booking.product_id,
            booking.date,
        )
        assert row.household_id == household.pk
        assert row.status == BookingStatus.VALIDATED
        assert row.created_by_id == setup.family.user.pk
        assert row.created_at == row.updated_at == NOW
        assert row.end_date is None and row.decision_reason == "" and row.closure_id is None
    assert [b.date for b in validated.booked] == [line.date for line in lines]
    assert not CartLine.objects.exists()


def test_rows_insert_stores_a_single_row_and_rows_that_differ_everywhere(setup: Setup) -> None:
    """A column with one value for every row is sent once (PostgreSQL); a single row has only
    such columns. What is stored is what was given, on both databases."""
    household = setup.family.household
    base = {"municipality_id": household.municipality_id, "household_id": household.pk}
    alone = Booking(
        **base,
        child_id=setup.paul.pk,
        product_id=setup.p("REPAS").pk,
        date=THU_12,
        status=BookingStatus.VALIDATED,
        created_at=NOW,
        updated_at=NOW,
    )
    rows_insert([alone], returning_ids=True)
    apart = [
        Booking(
            **base,
            child_id=setup.julie.pk,
            product_id=setup.p("REPAS").pk,
            date=THU_12,
            status=BookingStatus.VALIDATED,
            created_by_id=setup.family.user.pk,
            created_at=NOW,
            updated_at=NOW,
        ),
        Booking(
            **base,
            child_id=setup.paul.pk,
            product_id=setup.p("GARDERIE AVANT REPAS").pk,
            date=FRI_13,
            end_date=FRI_13,
            status=BookingStatus.REQUESTED,
            created_at=NOW - timedelta(hours=1),
            updated_at=NOW,
        ),
    ]
    rows_insert(apart, returning_ids=True)
    fields = ("child_id", "product_id", "date", "end_date", "status", "created_by_id", "created_at")
    for given in [alone, *apart]:
        stored = Booking.objects.get(pk=given.pk)
        assert [getattr(stored, name) for name in fields] == [
            getattr(given, name) for name in fields
        ]
    # Written below the booking services, which keep the capacity ledger: gone again.
    Booking.objects.filter(pk__in=[alone.pk, *(row.pk for row in apart)]).delete()
