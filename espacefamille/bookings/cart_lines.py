"""A cart's lines read with the rows they point to in one statement, one object per row read:
``select_related`` builds the cart, town, child and product again for every line, four objects
for each of a school year's 822 lines, which cost more than the rest of the read. The statement
is compiled once per process (core.prepared_reads: compiling it cost more than running it).
The lines' products come with every product they may compete with (``related_products``)."""

from __future__ import annotations

from django.db.models import QuerySet

from espacefamille.catalog.models import Product
from espacefamille.core.prepared_reads import Slot, prepared_read, slot_values, slots_in

from .context import related_products
from .models import CartLine

# The rows each line points to, read in its statement.
_RELATED = ("cart", "municipality", "child", "product")


def _household_lines(line_count: int) -> QuerySet[CartLine]:
    """A household's cart lines (``line_count`` > 0: only the lines of the ``line<i>`` slots)."""
    lines = CartLine.objects.filter(cart__household=Slot("household"))
    if line_count:
        lines = lines.filter(slots_in("pk", "line", line_count))
    return lines.order_by().select_related(*_RELATED)


def lines_with_related(
    household_id: int, line_ids: list[int] | None = None
) -> tuple[list[CartLine], list[Product]]:
    """The household's cart lines (``line_ids``: only those; unordered) with their cart, town,
    child, product and the product's service loaded, as ``select_related`` would load them;
    and ``related_products`` of their products."""
    if line_ids == []:
        return [], []
    values = {"household": household_id} | slot_values("line", line_ids or [])
    result: list[CartLine] = prepared_read(CartLine, _household_lines, len(line_ids or ())).objects(
        values
    )
    if not result:
        return [], []
    products = related_products({line.product_id: line.product for line in result}.values())
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
