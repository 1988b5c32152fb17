"""Write statements compiled once (core.prepared_writes): they write what the ORM's update and
delete write, compiled once, in the town of the active scope only; a moment slot takes an
aware datetime or none; a delete is refused for a model other rows point to."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django_scopes import ScopeError, scopes_disabled

from espacefamille.bookings.models import Cart, CartLine
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.core.prepared_reads import Slot
from espacefamille.core.prepared_writes import prepared_delete, prepared_update
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog

from ..conftest import make_family
from ..factories import ChildFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

READ_AT = datetime(2027, 1, 4, 8, 30, tzinfo=UTC)


def _cart(town: Municipality, email: str, days: int) -> Cart:
    family = make_family(town, email=email)
    with municipality_scope(town):
        if not Product.objects.exists():
            load_catalog(town)
        child = ChildFactory(household=family.household)
        cart = Cart.objects.create(
            municipality=town, household=family.household, updated_at=READ_AT
        )
        meal = Product.objects.get(name="REPAS")
        CartLine.objects.bulk_create(
            CartLine(municipality=town, cart=cart, child=child, product=meal, date=date(2027, 1, d))
            for d in range(4, 4 + days)
        )
    return cart


def _unchanged() -> tuple[QuerySet[Cart], dict[str, Any]]:
    rows = Cart.objects.filter(pk=Slot("cart"), updated_at=Slot("read", moment=True))
    return rows, {
        "updated_at": Slot("now", moment=True),
        "last_validated_at": Slot("now", moment=True),
    }


def _previous() -> tuple[QuerySet[Cart], dict[str, Any]]:
    return Cart.objects.filter(pk=Slot("cart")), {"last_validated_at": Slot("at", moment=True)}


def _lines_of_cart() -> QuerySet[CartLine]:
    return CartLine.objects.filter(cart__id=Slot("cart"))


def test_an_update_writes_as_the_orm_and_compiles_once(town: Municipality) -> None:
    cart = _cart(town, "a@example.org", 2)
    now = READ_AT + timedelta(minutes=5)
    with municipality_scope(town):
        update = prepared_update(Cart, _unchanged)
        assert prepared_update(Cart, _unchanged) is update
        stale = {"cart": cart.pk, "read": READ_AT - timedelta(seconds=1), "now": now}
        assert update.run(stale) == 0  # changed since: nothing written
        with CaptureQueriesContext(connection) as queries:
            assert update.run({"cart": cart.pk, "read": READ_AT, "now": now}) == 1
        assert len(queries) == 1 and queries[0]["sql"].startswith('UPDATE "bookings_cart"')
        cart.refresh_from_db()
        assert (cart.updated_at, cart.last_validated_at) == (now, now)
        prepared_update(Cart, _previous).run({"cart": cart.pk, "at": None})
        cart.refresh_from_db()
        assert cart.last_validated_at is None


def test_a_write_touches_the_rows_of_the_scope_town_only(town: Municipality) -> None:
    other_town = MunicipalityFactory(slug="ailleurs")
    other = _cart(other_town, "b@example.org", 3)
    with municipality_scope(town):
        assert prepared_delete(CartLine, _lines_of_cart).run({"cart": other.pk}) == 0
        assert prepared_update(Cart, _previous).run({"cart": other.pk, "at": READ_AT}) == 0
    with municipality_scope(other_town):
        assert prepared_delete(CartLine, _lines_of_cart).run({"cart": other.pk}) == 3
    with scopes_disabled():
        assert Cart.objects.get(pk=other.pk).last_validated_at is None
        assert not CartLine.objects.filter(cart=other).exists()
        with pytest.raises(ScopeError):
            prepared_update(Cart, _previous).run({"cart": other.pk, "at": READ_AT})


def test_a_moment_slot_takes_an_aware_datetime_or_none(town: Municipality) -> None:
    cart = _cart(town, "c@example.org", 1)
    update = prepared_update(Cart, _previous)
    with municipality_scope(town):
        for wrong in (datetime(2027, 1, 4, 8, 30), date(2027, 1, 4), "2027-01-04"):
            with pytest.raises(TypeError):
                update.run({"cart": cart.pk, "at": wrong})


def test_a_delete_is_refused_for_a_model_other_rows_point_to() -> None:
    with pytest.raises(ValueError, match="CartLine"):
        prepared_delete(Cart, lambda: Cart.objects.filter(pk=Slot("cart")))
