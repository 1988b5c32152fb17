"""Insert many new rows of one model in a few multi-row ``INSERT`` statements.

``bulk_create`` compiles each value of each row on its own (a school year's 822 bookings are
11,000 values): that cost more than the database's own work. Here each column's value is
prepared for the database once per distinct value (a year's bookings share their town,
household, child, status and time stamps), with the field's own ``pre_save`` and
``get_db_prep_save``, so what is stored is what ``bulk_create`` would store. No signal is sent
(``bulk_create`` sends none either)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model


def rows_insert(objs: Sequence[Model], *, returning_ids: bool = False) -> None:
    """Insert ``objs`` (new instances of one model, without a primary key): on SQLite in
    batches of the size it allows, on PostgreSQL in one statement of one array per column
    whose values differ (a column with one value for every row is sent once).
    ``returning_ids``: set each object's primary key (read with ``RETURNING``: the keys are
    drawn in the order the rows are inserted)."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    prepared: list[dict[Any, Any]] = [{} for _field in fields]
    params: list[Any] = []
    for obj in objs:
        for field, known in zip(fields, prepared, strict=True):
            value = field.pre_save(obj, True)
            try:
                params.append(known[value])
            except KeyError:
                known[value] = field.get_db_prep_save(value, connection)
                params.append(known[value])
    quote = connection.ops.quote_name
    width = len(fields)
    names = ", ".join(quote(str(field.column)) for field in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({names}) "
    returning = f" RETURNING {quote(str(meta.pk.column))}" if returning_ids else ""
    statements: list[tuple[str, list[Any], int]] = []  # (SQL, parameters, rows)
    if connection.vendor == "postgresql":
        # One array per column (as bulk_create does there): a handful of parameters. A column
        # with one value for every row (a year's town, household, status, time stamps) is
        # sent once: the driver writes each array's items as text, one by one.
        varying = [index for index, known in enumerate(prepared) if len(known) > 1] or [0]
        arrays = ", ".join(f"%s::{fields[index].db_type(connection)}[]" for index in varying)
        chosen = [
            f"u.c{index}" if index in varying else f"%s::{field.db_type(connection)}"
            for index, field in enumerate(fields)
        ]
        names_in = ", ".join(f"c{index}" for index in varying)
        bound = [params[index] for index in range(width) if index not in varying]
        bound += [params[index::width] for index in varying]
        sql = (
            f"{head}SELECT {', '.join(chosen)} "  # noqa: S608 (names, types)
            f"FROM UNNEST({arrays}) AS u({names_in}){returning}"
        )
        statements.append((sql, bound, len(objs)))
    else:
        row = f"({', '.join(['%s'] * width)})"
        batch = max(connection.ops.bulk_batch_size(fields, objs), 1)
        for start in range(0, len(objs), batch):
            size = min(batch, len(objs) - start)
            values = ", ".join([row] * size)
            chunk = params[start * width : (start + size) * width]
            statements.append((f"{head}VALUES {values}{returning}", chunk, size))
    done = 0
    with connection.cursor() as cursor:
        for sql, chunk, size in statements:
            cursor.execute(sql, chunk)
            if returning_ids:
                ids = sorted(pk for (pk,) in cursor.fetchall())
                for obj, pk in zip(objs[done : done + size], ids, strict=True):
                    obj.pk = pk
            done += size
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
