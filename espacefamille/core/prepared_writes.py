"""``UPDATE`` and ``DELETE`` statements compiled once per process and run again with new values
(issue 17), as ``core.prepared_reads`` does for reads.

A validation marks its cart, puts the mark back when the plan refuses and deletes the lines it
applied: through the ORM each statement was compiled at every run, which cost a validation more
CPU (0.27 ms an ``update``, 0.58 ms a ``delete`` with its collector) than the database took to
run it. Here the queryset naming the rows — its varying values ``Slot``s — is compiled once;
each run sends its SQL with the slots filled and returns the number of rows written.

The town scope filters as in a read (the ``TOWN`` slot, filled with the active scope's town).
A prepared delete is the ``DELETE`` of the rows alone, as ``QuerySet._raw_delete``: no
cascade, no signal. ``prepared_delete`` refuses a model that any other model points to, for
which Django's collector would have had something to do."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.sql import DeleteQuery, UpdateQuery

from .prepared_reads import built_in_town_slot, filled_params


@dataclass(frozen=True)
class PreparedWrite:
    """A compiled ``UPDATE`` or ``DELETE`` of one model's rows."""

    alias: str
    sql: str
    params: tuple[Any, ...]  # constants, and the ``Slot``s filled at each run

    def run(self, values: Mapping[str, object]) -> int:
        """Runs it with ``values`` of the slots; the number of rows it wrote. Outside a
        ``one_round_trip`` block (inside one, ``send``)."""
        return self.send(values).count

    def send(self, values: Mapping[str, object]) -> Written:
        """Runs it with ``values`` of the slots. Inside a ``one_round_trip`` block
        (core.round_trips) it goes with the block's other statements, and its count is known
        once the block has ended."""
        connection = connections[self.alias]
        cursor = connection.cursor()  # open until the count is read: closing forgets it
        cursor.execute(self.sql, filled_params(self.params, values, connection))
        return Written(cursor)


class Written:
    """A write sent; ``count``: the rows it wrote, once its answer is read."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self._count: int | None = None

    @property
    def count(self) -> int:
        if self._count is None:
            self._count = int(self._cursor.rowcount)
            self._cursor.close()
        return self._count


def prepared_update(
    model: type[Model], build: Callable[..., tuple[QuerySet[Any], dict[str, Any]]], *shape: int
) -> PreparedWrite:
    """The ``UPDATE`` of ``build(*shape)``: the rows (a queryset of ``model`` whose varying
    values are ``Slot``s) and the values to write (``Slot``s or constants), compiled on its
    first use for the database ``model`` is written to."""
    return _compiled(router.db_for_write(model), "update", build, shape)


def prepared_delete(
    model: type[Model], build: Callable[..., QuerySet[Any]], *shape: int
) -> PreparedWrite:
    """The ``DELETE`` of the rows of ``build(*shape)`` (a queryset of ``model`` whose varying
    values are ``Slot``s), compiled on its first use; ``model`` must be one no other model
    points to (``ValueError`` when it is compiled)."""
    return _compiled(router.db_for_write(model), "delete", build, shape)


@lru_cache(maxsize=64)
def _compiled(
    alias: str, kind: str, build: Callable[..., Any], shape: tuple[int, ...]
) -> PreparedWrite:
    built = built_in_town_slot(build, shape)
    if kind == "update":
        rows, values = built
        query = rows.query.chain(UpdateQuery)
        query.add_update_values(values)
        query.annotations = {}
    else:
        model = built.model
        pointed_at = [relation.related_model.__name__ for relation in model._meta.related_objects]
        if pointed_at:  # checked once, when compiled (a refused model is never cached)
            raise ValueError(f"{model.__name__} has rows pointing to it: {', '.join(pointed_at)}.")
        query = built.query.chain(DeleteQuery)
    sql, params = query.get_compiler(using=alias).as_sql()
    return PreparedWrite(alias, sql, tuple(params))
