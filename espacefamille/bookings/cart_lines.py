"""A cart's lines read with the rows they point to in one statement, one object per row read:
``select_related`` builds the cart, town, child and product again for every line, four objects
for each of a school year's 822 lines, which cost more than the rest of the read. Django still
compiles the statement (``select_related`` is cheaper to compile than a ``values_list`` naming
each related column, which resolves a join for each); its rows are turned into objects here.
The lines' products come with every product they may compete with (``related_products``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.sql.constants import MULTI

from espacefamille.catalog.models import Product

from .context import related_products
from .models import CartLine

# The rows each line points to, read in its statement.
_RELATED = ("cart", "municipality", "child", "product")


@dataclass(frozen=True)
class _Columns:
    """Where one model's columns are in a row of the statement."""

    model: type[Model]
    names: list[str]
    start: int
    end: int
    pk: int

    @classmethod
    def of(cls, klass_info: dict[str, Any], select: list[Any]) -> _Columns:
        """From the compiler's description of one model of a ``select_related`` statement."""
        fields = klass_info["select_fields"]
        names = [select[index][0].target.attname for index in fields]
        model = klass_info["model"]
        # Models without parents: their columns are contiguous and in their own order.
        assert fields == list(range(fields[0], fields[-1] + 1))
        return cls(
            model, names, fields[0], fields[-1] + 1, fields[0] + names.index(model._meta.pk.attname)
        )

    def build(self, alias: str, row: tuple[Any, ...]) -> Model:
        return self.model.from_db(alias, self.names, row[self.start : self.end])


def lines_with_related(lines: QuerySet[CartLine]) -> tuple[list[CartLine], list[Product]]:
    """``lines`` (unordered) with their cart, town, child, product and the product's service
    loaded, as ``select_related`` would load them; and ``related_products`` of their
    products."""
    alias = lines.db
    compiler = lines.order_by().select_related(*_RELATED).query.get_compiler(using=alias)
    rows = compiler.execute_sql(MULTI)
    info = compiler.klass_info
    assert info is not None
    own = _Columns.of(info, compiler.select)
    # Each related model's columns, and the line's field that caches its object.
    related = [
        (item["local_setter"], _Columns.of(item, compiler.select))
        for item in info["related_klass_infos"]
    ]
    read: dict[tuple[type[Model], object], Model] = {}
    result: list[CartLine] = []
    for row in compiler.results_iter(rows):
        line = own.build(alias, row)
        for cache, columns in related:
            key = (columns.model, row[columns.pk])
            found = read.get(key)
            if found is None:
                found = read[key] = columns.build(alias, row)
            cache(line, found)
        result.append(line)  # type: ignore[arg-type]
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
