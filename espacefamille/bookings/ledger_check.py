"""Does the capacity ledger equal the rows it counts? ``check_capacity`` asks this of a town
after the test suite, the benchmarks and in production (a cron line): every difference is a
bug in a writer that did not go through the ledger. The comparison reads one grouped count of
active bookings and holds per capped product-day and every ledger row of the town."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count

from espacefamille.catalog.models import Product

from .locking import count_places, lock_product_days
from .models import ACTIVE_STATUSES, Booking, PlaceHold, ProductDay


@dataclass(frozen=True)
class LedgerDifference:
    product: Product
    day: date
    ledger: int | None  # None: no ledger row
    counted: int


def ledger_differences() -> list[LedgerDifference]:
    """Within the active municipality scope: every capped product-day whose ledger row does
    not hold the count of its active bookings and holds."""
    products = {p.pk: p for p in Product.objects.filter(capacity__isnull=False)}
    counted: dict[tuple[int, date], int] = defaultdict(int)
    bookings = Booking.objects.filter(product_id__in=products, status__in=ACTIVE_STATUSES)
    holds = PlaceHold.objects.filter(product_id__in=products)
    for query in (bookings, holds):
        for row in query.values("product_id", "date").annotate(n=Count("*")):
            counted[(row["product_id"], row["date"])] += row["n"]
    ledger = {
        (row.product_id, row.date): row.taken
        for row in ProductDay.objects.filter(product_id__in=products)
    }
    differences = []
    for key in sorted(set(counted) | set(ledger)):
        expected = counted.get(key, 0)
        found = ledger.get(key)
        if found is None and expected == 0:
            continue
        if found != expected:
            differences.append(LedgerDifference(products[key[0]], key[1], found, expected))
    return differences


@transaction.atomic
def ledger_fix(differences: list[LedgerDifference]) -> None:
    """Set each differing row to the count, under the locks of those product-days."""
    ledger = lock_product_days([(d.product, d.day) for d in differences])
    truth = count_places(set(ledger.rows))
    for key, row in ledger.rows.items():
        ledger.adjust(ledger.products[key[0]], key[1], truth.get(key, 0) - row.taken)
    ledger.flush()
