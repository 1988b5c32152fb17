"""A cart's lines read with the rows they point to in one statement, one object per row read:
``select_related`` builds the cart, town, child and product again for every line, four objects
for each of a school year's 822 lines, which cost more than the rest of the read. The statement
is compiled once per process (core.prepared_reads: compiling it cost more than running it).
The lines' products come with every product they may compete with (``related_products``), in
the same round trip."""

from __future__ import annotations

from django.db import router
from django.db.models import Q, QuerySet

from espacefamille.catalog.models import Product
from espacefamille.core.prepared_reads import Slot, prepared_read, slot_values, slots_in
from espacefamille.core.round_trips import one_round_trip

from .context import product_order, related_products
from .models import CartLine

# The rows each line points to, read in its statement.
_RELATED = ("cart", "municipality", "child", "product")


def _household_lines(line_count: int) -> QuerySet[CartLine]:
    """A household's cart lines (``line_count`` > 0: only the lines of the ``line<i>`` slots)."""
    lines = CartLine.objects.filter(cart__household=Slot("household"))
    if line_count:
        lines = lines.filter(slots_in("pk", "line", line_count))
    return lines.order_by().select_related(*_RELATED)


def _lines_products(line_count: int) -> QuerySet[Product]:
    """``related_products`` of the products of the lines ``_household_lines`` reads, with
    their service: the products of their services or of their incompatibility groups."""
    lines = _household_lines(line_count)
    services = lines.values("product__service_id")
    groups = lines.exclude(product__incompatibility_group="").values(
        "product__incompatibility_group"
    )
    rivals = Q(service__in=services) | Q(incompatibility_group__in=groups)
    return Product.objects.filter(rivals).select_related("service").order_by()


def lines_with_related(
    household_id: int, line_ids: list[int] | None = None
) -> tuple[list[CartLine], list[Product]]:
    """The household's cart lines (``line_ids``: only those; unordered) with their cart, town,
    child, product and the product's service loaded, as ``select_related`` would load them;
    and ``related_products`` of their products. Both statements go in one round trip
    (core.round_trips): the products are those of the lines' services and groups, read by
    a subquery of the same lines."""
    if line_ids == []:
        return [], []
    values = {"household": household_id} | slot_values("line", line_ids or [])
    shape = len(line_ids or ())
    with one_round_trip(router.db_for_read(CartLine)):
        lines_sent = prepared_read(CartLine, _household_lines, shape).send(values)
        products_sent = prepared_read(Product, _lines_products, shape).send(values)
    result: list[CartLine] = lines_sent.objects()
    products: list[Product] = products_sent.objects()
    if not result:
        return [], []
    if not {line.product_id for line in result} <= {product.pk for product in products}:
        # A line went, or changed its product, between the two statements (each reads what
        # was committed when it started): the products read again from the lines read.
        products = related_products({line.product_id: line.product for line in result}.values())
    else:
        product_order(products)
    by_id = {product.pk: product for product in products}
    product_cache = CartLine.product.field.set_cached_value
    for line in result:
        product_cache(line, by_id[line.product_id])
    return result, products


def cart_line_order(lines: list[CartLine]) -> None:
    """Sort ``lines`` as ``CartLine.Meta.ordering`` does (the child's ordering, then the
    product's service's and the product's own, then the day), with the ids to break ties."""
    ranks: dict[tuple[int, int], tuple[object, ...]] = {}
    for line in lines:
        if (line.child_id, line.product_id) not in ranks:
            child, product = line.child, line.product
            service = product.service
            ranks[(line.child_id, line.product_id)] = (
                child.birth_date,
                child.first_name,
                child.pk,
                service.position,
                service.name,
                service.pk,
                product.position,
                product.name,
                product.pk,
            )
    lines.sort(key=lambda line: (ranks[(line.child_id, line.product_id)], line.date))
