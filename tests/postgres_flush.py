"""PostgreSQL: the flush after each transactional test (the browser journeys, the live-server
races) empties the tables with DELETE instead of Django's TRUNCATE.

TRUNCATE gives every table and index a new file: about 5 s for the ~110 tables on a loaded
2-core machine, after every journey, where DELETE of a few hundred rows takes a fraction of a
second. The result is the same: no trigger or rule acts on these tables (no migration creates
one), the foreign keys Django creates are DEFERRABLE INITIALLY DEFERRED (checked at the flush's
commit, when every table is empty), and a flush that resets the sequences keeps TRUNCATE …
RESTART IDENTITY."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock


@contextmanager
def flush_by_delete() -> Iterator[None]:
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(
        operations: Any,
        style: Any,
        tables: Any,
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or not tables:
            return truncate(
                operations,
                style,
                tables,
                reset_sequences=reset_sequences,
                allow_cascade=allow_cascade,
            )
        deletes = [
            f"DELETE FROM {operations.quote_name(table)};"  # noqa: S608
            for table in tables
        ]
        return ["SET CONSTRAINTS ALL DEFERRED;", *deletes]

    with mock.patch.object(DatabaseOperations, "sql_flush", sql_flush):
        yield
