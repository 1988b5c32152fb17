"""A cart's lines read with the rows they point to (cart, town, child, product and its
service) in one statement, one object per row read: ``select_related`` builds them again for
every line, five objects for each of a school year's 822 lines, which cost more than the rest
of the read. Every line of a cart shares its cart, town, children and products."""

from __future__ import annotations

from typing import Any

from django.db.models import ForeignKey, Model, QuerySet

from espacefamille.catalog.models import Product, Service
from espacefamille.core.models import Municipality
from espacefamille.households.models import Child

from .models import Cart, CartLine

# Each related object: the path of its columns from the line, its model, and whether the
# product holds it (else the line).
_RELATED: tuple[tuple[str, type[Model], bool], ...] = (
    ("cart", Cart, False),
    ("municipality", Municipality, False),
    ("child", Child, False),
    ("product", Product, False),
    ("product__service", Service, True),
)


def cart_lines_read(lines: QuerySet[CartLine]) -> list[CartLine]:
    """``lines`` (unordered) with their cart, town, child, product and the product's service
    loaded, as ``select_related`` would load them."""
    columns = [field.attname for field in CartLine._meta.concrete_fields]
    width = len(columns)
    names = list(columns)
    # (the field caching the object, on the product or on the line; its model and field
    # names; where its columns start and end; where its primary key is)
    spans: list[tuple[ForeignKey[Any, Any], bool, type[Model], list[str], int, int, int]] = []
    for path, model, on_product in _RELATED:
        fields = model._meta.concrete_fields
        start = len(columns)
        columns += [f"{path}__{field.attname}" for field in fields]
        cache = (Product if on_product else CartLine)._meta.get_field(path.rsplit("__", 1)[-1])
        assert isinstance(cache, ForeignKey)
        key = start + list(fields).index(model._meta.pk)
        attnames = [field.attname for field in fields]
        spans.append((cache, on_product, model, attnames, start, len(columns), key))
    alias = lines.db
    read: dict[tuple[type[Model], object], Model] = {}
    result = []
    for row in lines.order_by().values_list(*columns):
        line = CartLine.from_db(alias, names, row[:width])
        for cache, on_product, model, attnames, start, end, key in spans:
            found = read.get((model, row[key]))
            if found is None:
                found = read[(model, row[key])] = model.from_db(alias, attnames, row[start:end])
            cache.set_cached_value(line.product if on_product else line, found)
        result.append(line)
    return result


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
