"""What the database plans for a statement, and which indexes could serve it (tests of the
planner's choices: issue 17)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def indexes_leading_with(model: type[Model], column: str) -> set[str]:
    """The indexes of ``model``'s table whose first column is ``column``."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name
        for name, info in constraints.items()
        if info["index"] and info["columns"] and info["columns"][0] == column
    }


def query_plan(sql: str) -> str:
    """The plan of ``sql`` (parameters inlined, as captured), one line per step."""
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}")
        return "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())
