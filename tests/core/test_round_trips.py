"""Statements sent together (core.round_trips): on PostgreSQL a block's statements, the
transaction's BEGIN included, are answered at its end, their counts known then; an
error met by one of them is raised at the block's end as Django's exception and nothing of
the transaction stays; elsewhere the block changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from espacefamille.bookings.models import Cart
from espacefamille.core.models import Municipality
from espacefamille.core.prepared_reads import Slot, prepared_read, slot_values, slots_in
from espacefamille.core.prepared_writes import Written, prepared_update
from espacefamille.core.round_trips import one_round_trip, pipelines
from espacefamille.core.tenancy import municipality_scope

from ..conftest import make_family

pytestmark = pytest.mark.django_db(transaction=True)

AT = datetime(2027, 1, 4, 8, 30, tzinfo=UTC)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="round trips are PostgreSQL's (SQLite is in-process)"
)


def _mark(pk: int, at: datetime) -> Written:
    return prepared_update(Cart, _by_id).send({"cart": pk, "at": at})


def _by_id() -> tuple[QuerySet[Cart], dict[str, Any]]:
    return Cart.objects.filter(pk=Slot("cart")), {"last_validated_at": Slot("at", moment=True)}


def _carts(town: Municipality) -> list[Cart]:
    carts = []
    for email in ("a@example.org", "b@example.org"):
        family = make_family(town, email=email)
        with municipality_scope(town):
            carts.append(Cart.objects.create(municipality=town, household=family.household))
    return carts


@on_postgresql
def test_a_block_s_answers_come_at_its_end(town: Municipality) -> None:
    """BEGIN, the SET and the three UPDATEs are sent together: inside the block none has its
    answer yet (a statement sent alone would have it at once)."""
    first, second = _carts(town)
    assert pipelines(connection)
    with municipality_scope(town), transaction.atomic():
        with one_round_trip():
            setting = connection.cursor()
            setting.execute("SET LOCAL lock_timeout = '5s'")
            sent = [_mark(first.pk, AT), _mark(second.pk, AT), _mark(-1, AT)]
            assert setting.statusmessage is None  # not answered yet
        assert setting.statusmessage == "SET"
        assert [written.count for written in sent] == [1, 1, 0]
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone() == ("5s",)
    first.refresh_from_db()
    assert first.last_validated_at == AT


@on_postgresql
def test_an_error_in_a_block_is_raised_at_its_end_and_nothing_stays(town: Municipality) -> None:
    (cart, _other) = _carts(town)
    with municipality_scope(town):
        with pytest.raises(IntegrityError), transaction.atomic(), one_round_trip():
            _mark(cart.pk, AT)
            with connection.cursor() as cursor:  # a second cart for the same household
                cursor.execute(
                    "INSERT INTO bookings_cart (municipality_id, household_id, updated_at)"
                    " VALUES (%s, %s, %s)",
                    [town.pk, cart.household_id, AT],
                )
        cart.refresh_from_db()
    assert cart.last_validated_at is None


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL's blocks: above")
def test_elsewhere_a_block_runs_each_statement_at_once(town: Municipality) -> None:
    (cart, _other) = _carts(town)
    assert not pipelines(connection)
    with municipality_scope(town), transaction.atomic(), one_round_trip():
        assert _mark(cart.pk, AT).count == 1
        assert Cart.objects.get(pk=cart.pk).last_validated_at == AT


def _carts_of(household_count: int) -> QuerySet[Cart]:
    return Cart.objects.filter(slots_in("household__id", "household", household_count))


def test_reads_sent_in_a_block_give_their_rows_after_it(town: Municipality) -> None:
    """Two prepared reads sent together: on PostgreSQL neither is answered inside the block;
    after it (and on SQLite), each gives its rows."""
    first, second = _carts(town)
    read = prepared_read(Cart, _carts_of, 1)
    with municipality_scope(town):
        with one_round_trip():
            sent = [
                read.send(slot_values("household", [cart.household_id])) for cart in (first, second)
            ]
            if pipelines(connection):
                assert [each.cursor.statusmessage for each in sent] == [None, None]
        assert [[cart.pk for cart in each.objects()] for each in sent] == [[first.pk], [second.pk]]
