"""Read statements compiled once per process and run again with new values (issue 17).

Django compiles a queryset into SQL each time it runs it. For the reads of every "Valider" —
a cart's lines with their cart, town, child and product; the products they compete with —
compiling cost more CPU than the database took to answer. A ``PreparedRead`` is compiled
once from a queryset whose varying values are ``Slot``s (named placeholders); each run sends
its SQL with the slots filled and turns the rows into objects as ``select_related`` would,
a related row read once being one object shared by the rows that point to it.

The town scope still filters (convention 7): the queryset is built in the scope of the
``TOWN`` slot, which each run fills with the town of the active scope; a run outside a
one-town scope raises ``ScopeError``, as the query itself would. A slot takes an id or a
text, which both databases take unconverted, or a day, converted as a ``DateField``
converts it. The length of a list is part of the
statement: callers key their statements by it.

(django-prepared-queries and django-prepared-query did this for Django 1 and 2; neither is
maintained.)"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db import connections, router
from django.db.models import DateField, DateTimeField, Expression, Field, Model, Q, QuerySet
from django_scopes import ScopeError, get_scope, scope

TOWN = "town"  # the slot of the scope's town


class Slot(Expression):
    """A value given when the statement runs: an id or a text, or (``day``) a date, or
    (``moment``) an aware date and time or none."""

    def __init__(self, name: str, *, day: bool = False, moment: bool = False) -> None:
        assert not (day and moment)
        output = DateField() if day else DateTimeField() if moment else Field()
        super().__init__(output_field=output)
        self.name = name
        self.day = day
        self.moment = moment

    def db_value(self, value: object, connection: Any) -> object:
        """``value`` as the driver takes it (a date or a moment as a ``DateField`` or a
        ``DateTimeField`` sends it)."""
        if self.day:
            if not isinstance(value, date) or isinstance(value, datetime):
                raise TypeError(f"The slot {self.name} takes a date, not {value!r}.")
            return connection.ops.adapt_datefield_value(value)
        if self.moment:
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise TypeError(f"The slot {self.name} takes an aware datetime, not {value!r}.")
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"The slot {self.name} takes an id or a text, not {value!r}.")
        return value

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        return "%s", [self]  # the slot itself stands in the parameters


def slots_in(field: str, prefix: str, count: int, *, day: bool = False) -> Q:
    """``field`` equal to one of ``count`` (≥ 1: Django compiles no empty list) slots
    ``<prefix>0``, ``<prefix>1``… Name a relation by its target's key (``service__id``):
    a relation's own ``__in`` converts each value, and a slot is not one."""
    return Q(**{f"{field}__in": [Slot(f"{prefix}{index}", day=day) for index in range(count)]})


def slot_values(prefix: str, values: list[Any]) -> dict[str, Any]:
    """The values of the slots ``slots_in`` named."""
    return {f"{prefix}{index}": value for index, value in enumerate(values)}


@dataclass(frozen=True)
class _Columns:
    """Where one model's columns are in a row, and the field caching its object on the row's
    own object (none for the statement's own model)."""

    model: type[Model]
    names: list[str]
    start: int
    end: int
    pk: int
    cache: Callable[[Model, Model | None], None] | None
    # (position, converters, column) of the columns Django converts (dates on SQLite, JSON…)
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]

    @classmethod
    def of(
        cls, klass_info: dict[str, Any], select: list[Any], converters: dict[int, Any]
    ) -> _Columns:
        """From the compiler's description of one model of a ``select_related`` statement and
        its converters."""
        fields = klass_info["select_fields"]
        names = [select[index][0].target.attname for index in fields]
        model = klass_info["model"]
        # Models without parents: their columns are contiguous and in their own order.
        assert fields == list(range(fields[0], fields[-1] + 1))
        start, end = fields[0], fields[-1] + 1
        return cls(
            model,
            names,
            start,
            end,
            start + names.index(model._meta.pk.attname),
            klass_info.get("local_setter"),
            tuple(
                (pos, tuple(convs), column)
                for pos, (convs, column) in sorted(converters.items())
                if start <= pos < end
            ),
        )

    def build(self, alias: str, row: list[Any], connection: Any) -> Model:
        """The object of these columns in ``row``, converted as Django converts them."""
        for pos, convs, column in self.converters:
            value = row[pos]
            for convert in convs:
                value = convert(value, column, connection)
            row[pos] = value
        return self.model.from_db(alias, self.names, row[self.start : self.end])


@dataclass(frozen=True)
class PreparedRead:
    """A compiled ``SELECT`` of one model and the rows it relates one level down."""

    alias: str
    sql: str
    params: tuple[Any, ...]  # constants, and the ``Slot``s filled at each run
    own: _Columns
    related: tuple[_Columns, ...]

    @classmethod
    def compile(cls, alias: str, queryset: QuerySet[Any]) -> PreparedRead:
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        info = compiler.klass_info
        assert info is not None
        related = info.get("related_klass_infos", [])
        assert not any(item.get("related_klass_infos") for item in related), "one level"
        select = compiler.select
        converters = compiler.get_converters([column[0] for column in select])
        return cls(
            alias,
            sql,
            tuple(params),
            _Columns.of(info, select, converters),
            tuple(_Columns.of(item, select, converters) for item in related),
        )

    def rows(self, values: Mapping[str, object]) -> list[list[Any]]:
        """The rows as the database sent them, for ``values`` of the slots."""
        return self.send(values).rows()

    def objects(self, values: Mapping[str, object]) -> list[Any]:
        """One object per row, with its related objects cached on it: one object for each
        related row, its columns converted once (a school year's 822 lines point to one
        town, whose columns would otherwise be converted for each)."""
        return self.send(values).objects()

    def send(self, values: Mapping[str, object]) -> SentRead:
        """Runs it for ``values`` of the slots; its rows are read from what it returns. Inside
        a ``one_round_trip`` block (core.round_trips) it goes with the block's other
        statements: read its rows after the block."""
        connection = connections[self.alias]
        cursor = connection.cursor()
        cursor.execute(self.sql, filled_params(self.params, values, connection))
        return SentRead(self, cursor)


@dataclass(frozen=True)
class SentRead:
    """A prepared read sent, its rows not read yet."""

    read: PreparedRead
    cursor: Any

    def rows(self) -> list[list[Any]]:
        try:
            return [list(row) for row in self.cursor.fetchall()]
        finally:
            self.cursor.close()

    def objects(self) -> list[Any]:
        """As ``PreparedRead.objects``."""
        alias = self.read.alias
        connection = connections[alias]
        read: dict[tuple[type[Model], object], Model] = {}
        result = []
        for row in self.rows():
            obj = self.read.own.build(alias, row, connection)
            for columns in self.read.related:
                key = (columns.model, row[columns.pk])
                found = read.get(key)
                if found is None and key[1] is not None:  # (no row: a null relation)
                    found = read[key] = columns.build(alias, row, connection)
                assert columns.cache is not None
                columns.cache(obj, found)
            result.append(obj)
        return result


def prepared_read(
    model: type[Model], build: Callable[..., QuerySet[Any]], *shape: int, locks: bool = False
) -> PreparedRead:
    """The statement of ``build(*shape)`` (a queryset of ``model`` whose varying values are
    ``Slot``s; ``shape``: the lengths of its lists), compiled on its first use for the
    database ``model`` is read from — or written to when it ``locks`` its rows
    (``select_for_update``: never on a replica)."""
    alias = router.db_for_write(model) if locks else router.db_for_read(model)
    return _compiled(alias, build, shape)


@lru_cache(maxsize=256)
def _compiled(
    alias: str, build: Callable[..., QuerySet[Any]], shape: tuple[int, ...]
) -> PreparedRead:
    return PreparedRead.compile(alias, built_in_town_slot(build, shape).using(alias))


def built_in_town_slot(build: Callable[..., Any], shape: tuple[int, ...]) -> Any:
    """``build(*shape)`` in the scope of the ``TOWN`` slot: the scope's filter takes the slot,
    which each run fills with the town of the scope then open."""
    with scope(municipality=Slot(TOWN)):
        return build(*shape)


def filled_params(
    params: tuple[Any, ...], values: Mapping[str, object], connection: Any
) -> list[Any]:
    """A compiled statement's parameters: its constants, and its ``Slot``s filled with
    ``values`` and the town of the active scope (``TOWN``)."""
    filled = dict(values, **{TOWN: _scope_town()})
    return [
        param.db_value(filled[param.name], connection) if isinstance(param, Slot) else param
        for param in params
    ]


def _scope_town() -> int:
    current = get_scope()
    town = current.get("municipality")
    if not current.get("_enabled", True) or not isinstance(town, int):
        raise ScopeError("A prepared read runs in the scope of one municipality.")
    return town
