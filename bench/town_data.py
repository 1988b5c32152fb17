"""The bench town's data: 5,000 households (or ``--households``), their children enrolled in the
demo services for the next school year, about a million bookings drawn with a fixed seed and
inserted with the driver (``COPY`` or ``executemany``), and the capacity ledger those bookings
fill. Called by ``common.setup`` when the bench database must be (re)built."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from common import CAPACITIES, FAMILY_SIZES, PASSWORD, SEED, SENTINEL_REF, TOWN_SLUG, bench_year


def build_town(households: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from espacefamille.accounts.models import User
    from espacefamille.catalog.models import Enrollment, Product
    from espacefamille.catalog.services import school_year_bounds
    from espacefamille.core.tenancy import municipality_scope, scopes_disabled
    from espacefamille.demo.catalog import load_catalog
    from espacefamille.households.models import Child, Guardian, Household
    from espacefamille.households.setup import municipality_setup

    year = bench_year()
    start, end = school_year_bounds(year)
    hashed = make_password(PASSWORD)
    print(f"building the bench database ({households} households)…", flush=True)
    with scopes_disabled():
        town = municipality_setup(
            name="Commune du Banc d'Essai", slug=TOWN_SLUG, holiday_zone="C", city="Banc-d'Essai"
        )
    with municipality_scope(town), transaction.atomic():
        services = load_catalog(town)
        for name, capacity in CAPACITIES.items():
            Product.objects.filter(name=name).update(capacity=capacity)

        def families(refs: Sequence[str], sizes: Sequence[int]) -> list[Child]:
            users = User.objects.bulk_create(
                [
                    User(email=f"{ref.lower()}@banc-essai.example.org", password=hashed)
                    for ref in refs
                ],
                batch_size=1000,
            )
            homes = Household.objects.bulk_create(
                [
                    Household(municipality=town, name=f"FAMILLE {ref}", external_ref=ref)
                    for ref in refs
                ],
                batch_size=1000,
            )
            Guardian.objects.bulk_create(
                [
                    Guardian(
                        municipality=town,
                        household=home,
                        user=user,
                        rank=1,
                        civility="MME",
                        first_name="Camille",
                        last_name=home.name,
                        email=user.email,
                    )
                    for home, user in zip(homes, users, strict=True)
                ],
                batch_size=1000,
            )
            children = Child.objects.bulk_create(
                [
                    Child(
                        municipality=town,
                        household=home,
                        civility="FG"[k % 2],
                        first_name=f"Enfant{k + 1}",
                        last_name=home.name,
                        birth_date=date(2014 + (i + k) % 8, 1 + (i * 7 + k) % 12, 1 + i % 28),
                        school="École du Centre",
                    )
                    for i, (home, size) in enumerate(zip(homes, sizes, strict=True))
                    for k in range(size)
                ],
                batch_size=1000,
            )
            Enrollment.objects.bulk_create(
                [
                    Enrollment(
                        municipality=town,
                        child=child,
                        service=service,
                        school_year=year,
                        start_date=start,
                        end_date=end,
                        school="École du Centre",
                    )
                    for child in children
                    for service in services
                ],
                batch_size=2000,
            )
            return children

        refs = [f"BENCH-{i:05d}" for i in range(households)]
        sizes = [FAMILY_SIZES[i % len(FAMILY_SIZES)] for i in range(households)]
        children = families(refs, sizes)
        count, ledger_rows = _insert_bookings(town, children, start, end)
        families([SENTINEL_REF], [2])  # bench (a)'s family: enrolled, nothing booked
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"  {len(children)} children, {count:,} bookings, {ledger_rows} capacity-ledger rows",
        flush=True,
    )


def _booking_rows(
    town: Any, children: list[Any], start: date, end: date, ledger: dict[tuple[int, date], int]
) -> Iterator[tuple]:
    """Each child's year, drawn with a fixed seed: 65 % eat REPAS and 7 % REPAS VEGETARIEN on
    ~92 % of the canteen days, 17 % come to the morning daycare, 10 % to the evening one,
    10 % on some Wednesdays; 3 % of the bookings were cancelled. The queries run now, before
    the rows are drawn (PostgreSQL's COPY holds the connection while it reads them). The
    active bookings of the capped products are counted into ``ledger`` as they are drawn."""
    from django.utils import timezone

    from espacefamille.catalog.calendar import TownCalendar, daterange
    from espacefamille.catalog.models import Product

    products = {p.name: p for p in Product.objects.all()}
    calendar = TownCalendar.load(town, start, end)
    days = daterange(start, end)
    opened = {name: [d for d in days if calendar.is_open(p, d)] for name, p in products.items()}
    plans = [
        (0.17, "GARDERIE AVANT REPAS", 0.80),
        (0.10, "GARDERIE 16H30 A 18H30", 0.80),
        (0.10, "MERCREDI JOURNEE", 0.30),
    ]
    made = timezone.now() - timedelta(days=30)
    capped = {p.pk for p in products.values() if p.capacity is not None}
    drawn = ["REPAS", "REPAS VEGETARIEN", *(name for _odds, name, _share in plans)]
    assert not any(products[name].is_flat_rate for name in drawn)  # a row per day, no end_date

    def draw() -> Iterator[tuple]:
        rng = random.Random(SEED)
        for child in children:
            wanted = []
            meal = rng.random()
            if meal < 0.72:
                wanted.append(("REPAS" if meal < 0.65 else "REPAS VEGETARIEN", 0.92))
            wanted += [(name, share) for odds, name, share in plans if rng.random() < odds]
            for name, share in wanted:
                product = products[name]
                for day in opened[name]:
                    if rng.random() < share:
                        status = "cancelled" if rng.random() < 0.03 else "validated"
                        if status == "validated" and product.pk in capped:
                            ledger[(product.pk, day)] = ledger.get((product.pk, day), 0) + 1
                        home = child.household_id
                        yield (town.pk, child.pk, product.pk, day, None, status, made, made, home)

    return draw()


# The columns of a booking row inserted without the ORM (the generator, bench (a)'s raw inserts).
BOOKING_COLUMNS = [
    "municipality_id",
    "child_id",
    "product_id",
    "date",
    "end_date",
    "status",
    "created_at",
    "updated_at",
    "created_by_id",
    "decided_by_id",
    "decision_reason",
    "closure_id",
    "closure_reason",
    "household_id",
]


def _insert_bookings(town: Any, children: list[Any], start: date, end: date) -> tuple[int, int]:
    """A million rows: PostgreSQL COPY, or executemany in batches on SQLite; then the capacity
    ledger, one row per capped product and day with its active bookings counted (capacity:
    the product's, or the count if higher — the CHECK constraint wants taken ≤ capacity)."""
    from django.db import connection

    from espacefamille.bookings.models import Booking, ProductDay
    from espacefamille.catalog.models import Product

    columns = BOOKING_COLUMNS
    ledger_columns = ["municipality_id", "product_id", "date", "capacity", "capacity_override"]
    ledger_columns.append("taken")
    assert set(ledger_columns) | {"id"} == {f.column for f in ProductDay._meta.concrete_fields}
    assert set(columns) | {"id"} == {f.column for f in Booking._meta.concrete_fields}
    counted: dict[tuple[int, date], int] = {}
    rows = _booking_rows(town, children, start, end, counted)
    capacities = dict(Product.objects.filter(capacity__isnull=False).values_list("pk", "capacity"))
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = Booking._meta.db_table
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row[:8], None, None, "", None, "", row[8]))
                    count += 1
            ledger = [
                (town.pk, product_id, day, max(capacities[product_id], n), None, n)
                for (product_id, day), n in sorted(counted.items())
            ]
            table = ProductDay._meta.db_table
            with cursor.cursor.copy(
                f"COPY {table} ({', '.join(ledger_columns)}) FROM STDIN"
            ) as copy:
                for row in ledger:
                    copy.write_row(row)
            return count, len(ledger)
        ops = connection.ops
        batch: list[tuple] = []
        sql = insert_sql(Booking._meta.db_table, columns)
        for row in rows:
            adapted = (
                *row[:3],
                ops.adapt_datefield_value(row[3]),
                None,
                row[5],
                ops.adapt_datetimefield_value(row[6]),
                ops.adapt_datetimefield_value(row[7]),
                None,
                None,
                "",
                None,
                "",
                row[8],
            )
            batch.append(adapted)
            if len(batch) == 50_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        count += len(batch)
        ledger = [
            (
                town.pk,
                product_id,
                ops.adapt_datefield_value(day),
                max(capacities[product_id], n),
                None,
                n,
            )
            for (product_id, day), n in sorted(counted.items())
        ]
        cursor.executemany(insert_sql(ProductDay._meta.db_table, ledger_columns), ledger)
        return count, len(ledger)


def insert_sql(table: str, columns: Sequence[str], placeholder: str = "%s") -> str:
    # Table and column names come from the models, values are parameters.
    values = ", ".join([placeholder] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"  # noqa: S608
