"""Serialize the writers that compete for the same places
(docs/architecture.md#the-locking-protocol).

Every writer of a capped product-day — a cart validation, a cancellation, an agent's decision,
a waiting-list promotion, a hold of a prepaid cart — locks that day's capacity-ledger row
(``ProductDay``) with ``lock_product_days`` and then reads the places taken from it, so the cost
of a check does not grow with the town's bookings. The existing rows are locked first, in
primary-key order; the rows of days never written before are then created (in one statement,
in (product, day) order, with the places already taken counted once from the rows) and locked
in turn. Rows created later always have greater keys, so two writers never wait for each other
in a cycle. On PostgreSQL the lock is the row's ``SELECT … FOR UPDATE`` with a bounded
wait (``lock_timeout``; past it the caller gets ``BookingError(BUSY)``, "réessayez dans un
instant"). On SQLite transactions are IMMEDIATE: writers are already serialized when the
transaction starts. Either way the CHECK constraint on ``ProductDay`` refuses an overbooking
that a bug in Python would let through.

Expired holds of the locked days are released here, before any rule looks at the day, so a
place held by an abandoned payment is free for the next check without a background job. A
writer that only needs the days where it may run short of places (``release_expired="short"``:
a cart validation) releases them on those days alone, where fewer places are free than it asks
for: elsewhere an expired hold changes none of its answers, and finding them would cost every
validation a subquery. The next writer of such a day, or ``release_expired_holds``, frees
them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from django.db import OperationalError, connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from espacefamille.catalog.models import Product
from espacefamille.core.prepared_reads import Slot, prepared_read, slot_values, slots_in

from .errors import BookingError
from .models import ACTIVE_STATUSES, Booking, PlaceHold, ProductDay

LOCK_TIMEOUT = "5s"
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout expires

Key = tuple[int, date]  # product id, day


def day_capacity(product: Product, row: ProductDay | None) -> int | None:
    """The capacity that applies to a product on a day: an agent's per-day capacity, or the
    product's own (None: no limit)."""
    if product.capacity is None:
        return None
    if row is not None and row.capacity_override is not None:
        return row.capacity_override
    return product.capacity


@dataclass
class Ledger:
    """The ledger rows this transaction has locked, and the changes it makes to them; written
    back by ``flush`` (one statement) before the transaction commits."""

    products: dict[int, Product]
    rows: dict[Key, ProductDay] = field(default_factory=dict)
    changed: set[Key] = field(default_factory=set)
    released_holds: int = 0

    def taken(self, product_id: int, day: date) -> int:
        return self.rows[(product_id, day)].taken

    def capacity(self, product: Product, day: date) -> int | None:
        return day_capacity(product, self.rows.get((product.pk, day)))

    def adjust(self, product: Product, day: date, delta: int) -> None:
        """Take (``delta`` > 0) or free places; only on a day this transaction has locked."""
        if product.capacity is None or delta == 0:
            return
        key = (product.pk, day)
        if key not in self.rows:
            raise RuntimeError(f"Product-day {key} is not locked by this transaction")
        self.rows[key].taken += delta
        self.changed.add(key)

    def flush(self) -> None:
        """Write the changed rows back in one statement (the CHECK constraint applies)."""
        values = []
        for key in sorted(self.changed):
            row = self.rows[key]
            effective = day_capacity(self.products[key[0]], row) or 0
            row.capacity = max(effective, row.taken)
            values.append((row.pk, row.taken, row.capacity))
        self.changed.clear()
        if values:
            _write_rows(values)


def lock_product_days(
    days: Iterable[tuple[Product, date]],
    *,
    now: datetime | None = None,
    release_expired: Literal["all", "short"] = "all",
    waits_bounded: bool = False,
) -> Ledger:
    """Lock the ledger rows of the capped (product, day) pairs (flat rates: the first day of
    their period) and return them. Must run inside a transaction, after everything that does
    not need the lock has been loaded. ``release_expired``: release the expired holds of every
    locked day, or (``"short"``) only of the days with fewer free places than the pairs that
    name them (a cart's additions). ``waits_bounded``: the transaction has already run
    ``bound_lock_waits`` (with other statements, in one round trip)."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_product_days() must run inside a transaction")
    products: dict[int, Product] = {}
    asked: Counter[Key] = Counter()
    for product, day in days:
        if product.capacity is not None:
            products[product.pk] = product
            asked[(product.pk, day)] += 1
    wanted = set(asked)
    ledger = Ledger(products=products)
    if not wanted:
        return ledger
    everywhere = release_expired == "all"
    try:
        if not waits_bounded:
            bound_lock_waits()
        now = now or timezone.now()
        ledger.rows, expiring = _lock_rows(wanted, now, holds=everywhere)
        missing = wanted - set(ledger.rows)
        if missing:
            _create_missing(products, missing)
            created, expiring_too = _lock_rows(missing, now, holds=everywhere)
            ledger.rows |= created
            expiring |= expiring_too
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise BookingError.busy() from error
        raise
    if not everywhere:
        expiring = {
            (product_id, day)
            for (product_id, day), count in asked.items()
            if (ledger.capacity(products[product_id], day) or 0) - ledger.taken(product_id, day)
            < count
        }
    if expiring:
        _release_expired_holds(ledger, expiring, now)
    return ledger


def bound_lock_waits() -> None:
    """On PostgreSQL, bounds the current transaction's waits for a row lock (``lock_timeout``:
    past it the lock raises, ``BookingError(BUSY)`` from ``lock_product_days``); SQLite's
    IMMEDIATE transactions have their busy timeout instead."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")


def _write_rows(values: list[tuple[int, int, int]]) -> None:
    """``UPDATE … FROM (VALUES …)`` on PostgreSQL, one prepared UPDATE run for each row on
    SQLite (in-process: no round trips); Django's ``bulk_update`` builds a CASE per column,
    which costs more than the rest of a year's validation."""
    table = ProductDay._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = ", ".join(["(%s, %s, %s)"] * len(values))
            cursor.execute(
                f"UPDATE {table} AS t SET taken = v.taken, capacity = v.capacity "  # noqa: S608
                f"FROM (VALUES {rows}) AS v(id, taken, capacity) WHERE t.id = v.id",
                [item for row in values for item in row],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET taken = %s, capacity = %s WHERE id = %s",  # noqa: S608
                [(taken, capacity, pk) for pk, taken, capacity in values],
            )


def read_ledger(keys: Iterable[Key]) -> dict[Key, ProductDay]:
    """The ledger rows of some product-days, without locking (for display: a missing row
    means nothing is taken)."""
    wanted = set(keys)
    if not wanted:
        return {}
    return {(r.product_id, r.date): r for r in ProductDay.objects.filter(_keys_filter(wanted))}


def _days_by_product(keys: set[Key]) -> dict[int, list[date]]:
    """The days of ``keys`` by product, products and days in order."""
    by_product: dict[int, set[date]] = defaultdict(set)
    for product_id, day in keys:
        by_product[product_id].add(day)
    return {product_id: sorted(by_product[product_id]) for product_id in sorted(by_product)}


def _keys_filter(keys: set[Key]) -> Q:
    condition = Q()
    for product_id, days in _days_by_product(keys).items():
        condition |= Q(product_id=product_id, date__in=days)
    return condition


def _lock_rows(
    keys: set[Key], now: datetime, *, holds: bool
) -> tuple[dict[Key, ProductDay], set[Key]]:
    """Lock the rows in primary-key order; with ``holds``, also returns the days with expired
    holds (read in the same statement: the holds are read and released only when some
    exist). Without, the statement is compiled once per number of days of each product
    (core.prepared_reads): a validation runs it every time."""
    if not holds:
        days = _days_by_product(keys)
        values: dict[str, object] = {}
        for index, product_id in enumerate(days):
            values[f"product{index}"] = product_id
            values |= slot_values(f"day{index}_", days[product_id])
        shape = [len(product_days) for product_days in days.values()]
        rows = prepared_read(ProductDay, _locked_days, *shape, locks=True).objects(values)
        return {(row.product_id, row.date): row for row in rows}, set()
    expired = Exists(
        PlaceHold.objects.filter(
            product_id=OuterRef("product_id"), date=OuterRef("date"), expires_at__lte=now
        )
    )
    locked: dict[Key, ProductDay] = {}
    expiring: set[Key] = set()
    for row in (
        ProductDay.objects.select_for_update()
        .filter(_keys_filter(keys))
        .annotate(holds_expired=expired)
        .order_by("pk")
    ):
        locked[(row.product_id, row.date)] = row
        if row.holds_expired:
            expiring.add((row.product_id, row.date))
    return locked, expiring


def _locked_days(*days_per_product: int) -> QuerySet[ProductDay]:
    """The ledger rows, locked in primary-key order, of the ``product<i>`` slots' products on
    their ``day<i>_<j>`` slots' days."""
    condition = Q()
    for index, count in enumerate(days_per_product):
        condition |= Q(product__id=Slot(f"product{index}")) & slots_in(
            "date", f"day{index}_", count, day=True
        )
    return ProductDay.objects.select_for_update().filter(condition).order_by("pk")


def _create_missing(products: dict[int, Product], missing: set[Key]) -> None:
    """Create the rows of days never written before, each with the places its rows already
    take. A concurrent writer of the same day needs the same row, so it either inserted it
    first (this insert then waits and does nothing) or comes after this one."""
    counted = count_places(missing)
    rows = []
    for product_id, day in sorted(missing):
        product = products[product_id]
        taken = counted.get((product_id, day), 0)
        rows.append(
            ProductDay(
                municipality_id=product.municipality_id,
                product_id=product_id,
                date=day,
                taken=taken,
                capacity=max(product.capacity or 0, taken),
            )
        )
    ProductDay.objects.bulk_create(rows, ignore_conflicts=True)


def count_places(keys: set[Key]) -> dict[Key, int]:
    """Places taken counted from the rows themselves: active bookings plus holds (the truth the
    ledger must equal; ``check_capacity`` compares them)."""
    counted: dict[Key, int] = defaultdict(int)
    condition = _keys_filter(keys)
    bookings = Booking.objects.filter(condition, status__in=ACTIVE_STATUSES)
    holds = PlaceHold.objects.filter(condition)
    # One statement: the bookings' counts and the holds' (UNION ALL keeps a day's two rows).
    both = (
        bookings.values_list("product_id", "date")
        .annotate(n=Count("*"))
        .order_by()
        .union(holds.values_list("product_id", "date").annotate(n=Count("*")).order_by(), all=True)
    )
    for product_id, day, count in both:
        counted[(product_id, day)] += count
    return counted


def _release_expired_holds(ledger: Ledger, wanted: set[Key], now: datetime) -> None:
    expired = list(PlaceHold.objects.filter(_keys_filter(wanted), expires_at__lte=now))
    if not expired:
        return
    for hold in expired:
        ledger.adjust(ledger.products[hold.product_id], hold.date, -1)
    PlaceHold.objects.filter(pk__in=[hold.pk for hold in expired]).delete()
    ledger.released_holds = len(expired)
    # Written now: a caller that then refuses its own change still commits the release.
    ledger.flush()
