"""A cart's lines read with the rows they point to in one statement, one object per row read:
``select_related`` builds the cart, town, child, product and service again for every line, five
objects for each of a school year's 822 lines, which cost more than the rest of the read. The
lines' products come with every product they may compete with (``related_products``), read
anyway: the lines' statement reads only what that needs of them."""

from __future__ import annotations

from typing import Any

from django.db.models import ForeignKey, Model, QuerySet

from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.households.models import Child

from .context import related_products
from .models import Cart, CartLine

# The rows each line points to, read in its statement.
_RELATED: tuple[tuple[str, type[Model]], ...] = (
    ("cart", Cart),
    ("municipality", Municipality),
    ("child", Child),
)


def lines_with_related(lines: QuerySet[CartLine]) -> tuple[list[CartLine], list[Product]]:
    """``lines`` (unordered) with their cart, town, child, product and the product's service
    loaded, as ``select_related`` would load them; and ``related_products`` of their
    products."""
    columns = [field.attname for field in CartLine._meta.concrete_fields]
    names = list(columns)
    # (the line's field caching the object; its model and field names; where its columns
    # start and end; where its primary key is)
    spans: list[tuple[ForeignKey[Any, Any], type[Model], list[str], int, int, int]] = []
    for path, model in _RELATED:
        fields = model._meta.concrete_fields
        start = len(columns)
        columns += [f"{path}__{field.attname}" for field in fields]
        cache = CartLine._meta.get_field(path)
        assert isinstance(cache, ForeignKey)
        key = start + list(fields).index(model._meta.pk)
        attnames = [field.attname for field in fields]
        spans.append((cache, model, attnames, start, len(columns), key))
    columns += ["product__service_id", "product__incompatibility_group"]
    alias = lines.db
    read: dict[tuple[type[Model], object], Model] = {}
    products: dict[int, tuple[int, str]] = {}
    result = []
    for row in lines.order_by().values_list(*columns):
        line = CartLine.from_db(alias, names, row[: len(names)])
        for cache, model, attnames, start, end, key in spans:
            found = read.get((model, row[key]))
            if found is None:
                found = read[(model, row[key])] = model.from_db(alias, attnames, row[start:end])
            cache.set_cached_value(line, found)
        products[line.product_id] = row[-2:]
        result.append(line)
    if not result:
        return [], []
    # What related_products reads of the lines' products: their service and group.
    related = related_products(
        Product(pk=pk, service_id=service_id, incompatibility_group=group)
        for pk, (service_id, group) in products.items()
    )
    by_id = {product.pk: product for product in related}
    product_field = CartLine._meta.get_field("product")
    assert isinstance(product_field, ForeignKey)
    for line in result:
        product_field.set_cached_value(line, by_id[line.product_id])
    return result, related


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
