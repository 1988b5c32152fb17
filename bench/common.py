"""Shared set-up of the benchmarks: production settings (``DEBUG=0``) against a bench database
holding a town of 5,000 households, ~8,000 children enrolled in the demo services for the next
school year, and about a million bookings on that year.

The database is kept between runs: ``var/bench/bench-<households>.sqlite3`` on SQLite, or the
database ``espacefamille_bench_<households>`` on the PostgreSQL server of ``DATABASE_URL`` (the
application's own database is never touched). It is rebuilt when it is missing, incomplete or
built for another school year. Not collected by pytest: import it from the ``bench/`` scripts.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
for _path in (str(BASE_DIR), str(BENCH_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

TOWN_SLUG = "banc-essai"
DATA_VERSION = 2  # bump when the generated data change: older bench databases are rebuilt
# The household of bench (a), created last: its presence means the database is complete.
SENTINEL_REF = f"BENCH-A-v{DATA_VERSION}"
PASSWORD = "Banc-Essai-2026!"
SECRET_KEY = "bench-only-secret-key-never-used-in-production-5f0c2d9e8b7a6f4e3d2c1b0a"
SEED = 20260901
# Children per household, repeated: 16 children for 10 households.
FAMILY_SIZES = (1, 2, 1, 2, 2, 1, 2, 1, 3, 1)
# Capacities raised to the size of the bench town (the demo town has 120 meals a day).
CAPACITIES = {"REPAS": 6000, "MERCREDI JOURNEE": 400}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    on_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    parser.add_argument(
        "--households", type=int, default=5000, help="size of the town (default 5000)"
    )
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if on_pg else "sqlite",
        help="sqlite (default) or postgres (the server of DATABASE_URL, default if it is set)",
    )


def database_url(db: str, households: int) -> str:
    if db == "sqlite":
        return f"sqlite:///{BASE_DIR / 'var' / 'bench' / f'bench-{households}.sqlite3'}"
    server = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(server if server.startswith("postgres") else "postgres://postgres@127.0.0.1")
    user = quote(unquote(parts.username or "postgres"), safe="")
    password = f":{quote(unquote(parts.password), safe='')}" if parts.password else ""
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 5432
    return f"postgres://{user}{password}@{host}:{port}/espacefamille_bench_{households}"


def server_env(url: str) -> dict[str, str]:
    """Production-like environment, for this process and the servers it starts."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(BASE_DIR), str(BENCH_DIR)]),
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        EMAIL_HOST="",
        LOG_LEVEL="WARNING",
    )
    env.pop("ESPACEFAMILLE_TESTING", None)
    return env


def _pg_admin(url: str, *statements: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    ) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def _pg_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _ensure_pg_database(url: str) -> None:
    import psycopg

    with contextlib.suppress(psycopg.errors.DuplicateDatabase):
        _pg_admin(url, f'CREATE DATABASE "{_pg_name(url)}"')


@dataclass
class Bench:
    url: str
    vendor: str
    households: int
    year: int
    start: date  # the school year: 1 September … 31 August
    end: date
    town: Any  # Municipality
    products: dict[str, Any]  # name → Product
    services: dict[str, Any]  # name → Service
    bookings: int
    built_in: float | None = None  # seconds, when built by this run

    def describe(self) -> str:
        how = f"built in {self.built_in:.0f} s" if self.built_in else "reused"
        return (
            f"{self.vendor} bench DB ({how}): {self.households} households, "
            f"{self.bookings:,} bookings on school year {self.year}-{self.year + 1}"
        )


def setup(households: int, db: str) -> Bench:
    """Configure Django for the bench database, build it if needed, and describe it."""
    url = database_url(db, households)
    os.environ.update(server_env(url))
    if db == "postgres":
        _ensure_pg_database(url)
    else:
        (BASE_DIR / "var" / "bench").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    bench = _load(url, households)
    if bench is None:
        _reset(url)
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        _build(households)
        bench = _load(url, households)
        assert bench is not None, "the bench database is incomplete after building it"
        bench.built_in = time.perf_counter() - started
    return bench


def bench_year() -> int:
    """The next school year: wholly in the future, so every deadline is still open."""
    from django.utils import timezone

    from espacefamille.catalog.models import school_year_of

    return school_year_of(timezone.localdate()) + 1


def _load(url: str, households: int) -> Bench | None:
    from django.db import connection

    from espacefamille.bookings.models import Booking
    from espacefamille.catalog.models import Enrollment, Product, Service
    from espacefamille.catalog.services import school_year_bounds
    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.households.models import Household

    town = Municipality.objects.filter(slug=TOWN_SLUG).first()
    if town is None:
        return None
    year = bench_year()
    with municipality_scope(town):
        sentinel = Household.objects.filter(external_ref=SENTINEL_REF).first()
        if sentinel is None:
            return None
        count = (
            Household.objects.filter(external_ref__startswith="BENCH-")
            .exclude(pk=sentinel.pk)
            .count()
        )
        current = Enrollment.objects.filter(child__household=sentinel, school_year=year).exists()
        if count != households or not current:
            return None
        start, end = school_year_bounds(year)
        return Bench(
            url=url,
            vendor=connection.vendor,
            households=households,
            year=year,
            start=start,
            end=end,
            town=town,
            products={p.name: p for p in Product.objects.select_related("service")},
            services={s.name: s for s in Service.objects.all()},
            bookings=Booking.objects.count(),
        )


def _reset(url: str) -> None:
    """Start from an empty database (an incomplete or outdated bench database)."""
    from django.db import connection

    connection.close()
    if url.startswith("sqlite"):
        path = Path(urlsplit(url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        name = _pg_name(url)
        _pg_admin(
            url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
        )


def _build(households: int) -> None:
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
        count = _insert_bookings(town, children, start, end)
        families([SENTINEL_REF], [2])  # bench (a)'s family: enrolled, nothing booked
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  {len(children)} children, {count:,} bookings", flush=True)


def _booking_rows(town: Any, children: list[Any], start: date, end: date) -> Iterator[tuple]:
    """Each child's year, drawn with a fixed seed: 65 % eat REPAS and 7 % REPAS VEGETARIEN on
    ~92 % of the canteen days, 17 % come to the morning daycare, 10 % to the evening one,
    10 % on some Wednesdays; 3 % of the bookings were cancelled. The queries run now, before
    the rows are drawn (PostgreSQL's COPY holds the connection while it reads them)."""
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
                        yield (town.pk, child.pk, product.pk, day, None, status, made, made, None)

    return draw()


def _insert_bookings(town: Any, children: list[Any], start: date, end: date) -> int:
    """A million rows: PostgreSQL COPY, or executemany in batches on SQLite."""
    from django.db import connection

    from espacefamille.bookings.models import Booking

    columns = [
        "municipality_id",
        "child_id",
        "product_id",
        "date",
        "end_date",
        "status",
        "created_at",
        "updated_at",
        "created_by_id",
    ]
    assert set(columns) | {"id"} == {f.column for f in Booking._meta.concrete_fields}
    table = Booking._meta.db_table
    rows = _booking_rows(town, children, start, end)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        ops = connection.ops
        placeholders = ", ".join(["%s"] * len(columns))
        # Table and column names come from the model, values are parameters.
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        batch: list[tuple] = []
        for row in rows:
            adapted = (
                *row[:3],
                ops.adapt_datefield_value(row[3]),
                None,
                row[5],
                ops.adapt_datetimefield_value(row[6]),
                ops.adapt_datetimefield_value(row[7]),
                None,
            )
            batch.append(adapted)
            if len(batch) == 50_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        return count + len(batch)


# --- Measuring and printing -------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0…100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"
