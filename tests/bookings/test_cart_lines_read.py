"""A cart's lines and the products they compete with, read in one round trip
(bookings.cart_lines): the products are ``related_products`` of the lines' products, in its
order, whatever the lines (their services, their incompatibility groups, some lines asked
for); a line whose product the second statement did not see gets them read again."""

from __future__ import annotations

import pytest

from espacefamille.bookings import cart_lines
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.cart_lines import lines_with_related
from espacefamille.bookings.context import related_products
from espacefamille.catalog.models import Product
from espacefamille.core.tenancy import municipality_scope

from .conftest import FRI_13, MON_16, THU_12, Setup

pytestmark = pytest.mark.django_db


def _toggle(setup: Setup, name: str, day: object) -> None:
    cart_toggle(household=setup.family.household, child=setup.paul, product=setup.p(name), day=day)


def _names(products: list) -> list[str]:  # type: ignore[type-arg]
    return [product.name for product in products]


@pytest.mark.parametrize(
    "booked",
    [
        [("REPAS", THU_12)],
        [("REPAS", THU_12), ("REPAS", FRI_13)],
        [("GARDERIE 16H30 A 18H30", MON_16)],
        [("REPAS", THU_12), ("GARDERIE 16H30 A 18H30", MON_16)],
    ],
)
def test_the_products_are_those_the_lines_compete_with(setup: Setup, booked: list) -> None:  # type: ignore[type-arg]
    household = setup.family.household
    with municipality_scope(household.municipality):  # a rival in another service
        Product.objects.filter(name="REPAS").update(incompatibility_group="repas")
        Product.objects.filter(service=setup.wednesday).update(incompatibility_group="repas")
    for name, day in booked:
        _toggle(setup, name, day)
    with municipality_scope(household.municipality):
        lines, products = lines_with_related(household.pk)
        expected = related_products({line.product for line in lines})
        assert _names(products) == _names(expected)
        assert all(
            line.product is next(p for p in products if p.pk == line.product_id) for line in lines
        )
        some = [lines[0].pk]
        lines, products = lines_with_related(household.pk, some)
        assert [line.pk for line in lines] == some
        assert _names(products) == _names(related_products([lines[0].product]))


def test_a_line_whose_product_was_not_seen_gets_its_products_read_again(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As when a line changes between the two statements: the lines' products come from a read
    of their own."""
    _toggle(setup, "REPAS", THU_12)
    monkeypatch.setattr(
        cart_lines,
        "_lines_products",
        lambda count: Product.objects.filter(pk=-1).select_related("service").order_by(),
    )
    household = setup.family.household
    with municipality_scope(household.municipality):
        lines, products = lines_with_related(household.pk)
        assert _names(products) == _names(related_products([setup.p("REPAS")]))
        assert [line.product_id for line in lines] == [setup.p("REPAS").pk]
