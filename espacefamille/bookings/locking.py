"""Serialize the writers that compete for the same places (DESIGN §6).

On PostgreSQL, a transaction-scoped advisory lock per (product, day), taken in a fixed order
so two carts never wait for each other in a cycle. On SQLite, transactions are IMMEDIATE:
writers are already serialized when the transaction starts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection

# Distinguishes our lock keys from other users of advisory locks.
NAMESPACE = 0x45460000


def lock_product_days(keys: Iterable[tuple[int, date]]) -> None:
    if connection.vendor != "postgresql":
        return
    ordered = sorted(set(keys))
    if not ordered:
        return
    products = [NAMESPACE ^ product_id for product_id, _day in ordered]
    days = [day.toordinal() for _product_id, day in ordered]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(k.p, k.d)) FROM ("
            " SELECT p, d FROM unnest(%s::int[], %s::int[]) AS u(p, d) ORDER BY p, d"
            ") AS k",
            [products, days],
        )
