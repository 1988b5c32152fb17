"""Read statements compiled once (core.prepared_reads): what they return is what the ORM
returns, the town scope still filters them, and a slot takes only an id or a text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django_scopes import ScopeError, scopes_disabled

from espacefamille.bookings.models import Cart, CartLine
from espacefamille.catalog.models import Product
from espacefamille.core import prepared_reads
from espacefamille.core.models import Municipality
from espacefamille.core.prepared_reads import Slot, prepared_read, slot_values, slots_in
from espacefamille.core.read_replica import REPLICA, replica_reads
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog

from ..conftest import make_family
from ..factories import ChildFactory, MunicipalityFactory
from .test_read_replica import with_replica_alias  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

RELATED = ("cart", "municipality", "child", "product")


def _lines_of(line_count: int) -> QuerySet[CartLine]:
    lines = CartLine.objects.filter(cart__household=Slot("household"))
    if line_count:
        lines = lines.filter(slots_in("pk", "line", line_count))
    return lines.order_by("pk").select_related(*RELATED)


def _cart(town: Municipality, email: str, days: list[int]) -> tuple[int, list[int]]:
    """A family of ``town`` with a child and REPAS lines on ``days`` of January 2027."""
    family = make_family(town, email=email)
    with municipality_scope(town):
        if not Product.objects.exists():
            load_catalog(town)
        child = ChildFactory(household=family.household)
        cart = Cart.objects.create(municipality=town, household=family.household)
        meal = Product.objects.get(name="REPAS")
        lines = CartLine.objects.bulk_create(
            CartLine(municipality=town, cart=cart, child=child, product=meal, date=date(2027, 1, d))
            for d in days
        )
    return family.household.pk, [line.pk for line in lines]


def _fields(line: CartLine) -> list[object]:
    """What a line and the rows it points to hold, as the ORM would read them."""
    related = [line.cart, line.municipality, line.child, line.product]
    return [
        [getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields]
        for obj in [line, *related]
    ]


def test_a_prepared_read_returns_what_the_orm_reads_and_compiles_once(town: Municipality) -> None:
    first, _ = _cart(town, "a@example.org", [4, 5])
    second, second_lines = _cart(town, "b@example.org", [7, 8, 11])
    with municipality_scope(town):
        for household, line_ids in ((first, None), (second, None), (second, second_lines[1:])):
            orm = CartLine.objects.filter(cart__household_id=household)
            if line_ids:
                orm = orm.filter(pk__in=line_ids)
            expected = list(orm.order_by("pk").select_related(*RELATED))
            read = prepared_read(CartLine, _lines_of, len(line_ids or []))
            with CaptureQueriesContext(connection) as queries:
                lines = read.objects({"household": household} | slot_values("line", line_ids or []))
            assert len(queries) == 1
            assert [_fields(line) for line in lines] == [_fields(line) for line in expected]
            assert lines and all(line.cart is lines[0].cart for line in lines)  # shared
        assert prepared_read(CartLine, _lines_of, 0) is prepared_read(CartLine, _lines_of, 0)


def test_the_scope_still_filters_a_prepared_read(town: Municipality) -> None:
    household, _ = _cart(town, "a@example.org", [4])
    other = MunicipalityFactory(name="Autreville", slug="autreville")
    read = prepared_read(CartLine, _lines_of, 0)
    with municipality_scope(other):
        assert read.objects({"household": household}) == []  # another town's household
    with municipality_scope(town):
        assert len(read.objects({"household": household})) == 1
    with pytest.raises(ScopeError):
        read.objects({"household": household})
    with scopes_disabled(), pytest.raises(ScopeError):
        read.objects({"household": household})


@pytest.mark.parametrize("value", [1.5, True, None, date(2027, 1, 4)])
def test_a_slot_takes_only_an_id_or_a_text(town: Municipality, value: object) -> None:
    with municipality_scope(town), pytest.raises(TypeError):
        prepared_read(CartLine, _lines_of, 0).objects({"household": value})


def _lines_from() -> QuerySet[CartLine]:
    return CartLine.objects.filter(
        cart__household=Slot("household"), date__gte=Slot("from", day=True)
    ).order_by("date")


def test_a_day_slot_takes_a_date_sent_as_a_date_field_sends_it(town: Municipality) -> None:
    household, _ = _cart(town, "a@example.org", [4, 5, 7])
    read = prepared_read(CartLine, _lines_from)
    with municipality_scope(town):
        lines = read.objects({"household": household, "from": date(2027, 1, 5)})
        assert [line.date for line in lines] == [date(2027, 1, 5), date(2027, 1, 7)]
        for wrong in ("2027-01-05", datetime(2027, 1, 5, tzinfo=UTC), 5):
            with pytest.raises(TypeError):
                read.objects({"household": household, "from": wrong})


@pytest.mark.usefixtures("with_replica_alias")
def test_a_read_that_locks_is_routed_as_a_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """``select_for_update`` is a write (core.read_replica): never sent to a replica."""
    chosen: list[str] = []
    monkeypatch.setattr(
        prepared_reads, "_compiled", lambda alias, build, shape: chosen.append(alias)
    )
    with replica_reads():
        prepared_read(CartLine, _lines_of, 0)
        prepared_read(CartLine, _lines_of, 0, locks=True)
    assert chosen == [REPLICA, DEFAULT_DB_ALIAS]
