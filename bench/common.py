"""Shared set-up of the benchmarks: production settings (``DEBUG=0``) against a bench database
holding a town of 5,000 households, ~8,000 children enrolled in the demo services for the next
school year, and about a million bookings on that year.

The database is kept between runs: ``var/bench/bench-<households>.sqlite3`` on SQLite, or the
database ``espacefamille_bench_<households>`` on the PostgreSQL server of ``DATABASE_URL`` (the
application's own database is never touched). It is rebuilt when it is missing, incomplete or
built for another school year or by an older generator (``DATA_VERSION``). Not collected by
pytest: import it from the ``bench/`` scripts.

Besides the bookings, the generator fills the capacity ledger (``bookings_productday``): one row
per capped product and day with the count of its active bookings (what migration 0006 builds
from existing bookings). The scripts change ledger rows through the booking code and put them
back with ``ledger_snapshot``/``ledger_restore``; each ends with ``check_capacity`` (the ledger
equals the bookings) and one line of JSON (``emit``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
for _path in (str(BASE_DIR), str(BENCH_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

TOWN_SLUG = "banc-essai"
DATA_VERSION = 3  # bump when the generated data change: older bench databases are rebuilt
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
    # BENCH_PG_DATABASE: a database of one's own (two benches sharing one would collide).
    name = os.environ.get("BENCH_PG_DATABASE") or f"espacefamille_bench_{households}"
    return f"postgres://{user}{password}@{host}:{port}/{name}"


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
        from town_data import build_town

        build_town(households)
        bench = _load(url, households)
        assert bench is not None, "the bench database is incomplete after building it"
        bench.built_in = time.perf_counter() - started
    # What a production worker loads when it starts (config/wsgi.py), before any request.
    from config.warmup import warm_up

    warm_up()
    return bench


def sample_guardians(bench: Bench, count: int, rng: Any) -> list[Any]:
    """``count`` guardians of the bench town's families drawn by ``rng`` (seeded with ``SEED``:
    the same ones in every run), with their login and children loaded."""
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.households.models import Guardian

    with municipality_scope(bench.town):
        ids = list(
            Guardian.objects.filter(household__external_ref__startswith="BENCH-0")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return list(
            Guardian.objects.filter(pk__in=rng.sample(ids, min(count, len(ids))))
            .select_related("user")
            .prefetch_related("household__children")
        )


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


# --- Leaving the database as it was -----------------------------------------------------------

LedgerSnapshot = dict[int, tuple[int, date, int, int | None, int]]  # pk → the row's values


def ledger_snapshot(**filters: Any) -> LedgerSnapshot:
    """The ledger rows matching ``filters`` (within the town's scope), to put back later."""
    from espacefamille.bookings.models import ProductDay

    return {
        row[0]: row[1:]
        for row in ProductDay.objects.filter(**filters).values_list(
            "pk", "product_id", "date", "capacity", "capacity_override", "taken"
        )
    }


def ledger_restore(snapshot: LedgerSnapshot, **filters: Any) -> int:
    """Put the ledger rows matching ``filters`` back as in ``snapshot``: rows created since are
    deleted, changed rows get their old values back. Returns the number of rows touched."""
    from espacefamille.bookings.models import ProductDay

    current = ledger_snapshot(**filters)
    created = [pk for pk in current if pk not in snapshot]
    if created:
        ProductDay.objects.filter(pk__in=created).delete()
    changed = [
        ProductDay(
            pk=pk,
            capacity=values[2],
            capacity_override=values[3],
            taken=values[4],
        )
        for pk, values in snapshot.items()
        if current.get(pk) != values
    ]
    lost = [pk for pk in snapshot if pk not in current]
    assert not lost, f"ledger rows deleted by the bench: {lost[:5]}"
    if changed:
        ProductDay.objects.bulk_update(changed, ["capacity", "capacity_override", "taken"])
    return len(created) + len(changed)


def check_capacity() -> dict[str, str]:
    """``manage.py check_capacity`` in this process: "ok" when the ledger equals the active
    bookings and holds of every town, "failed" (with its output) otherwise."""
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_capacity", stdout=out, stderr=err)
    except (Exception, SystemExit) as error:  # CommandError: differences found
        text = (out.getvalue() + err.getvalue()).strip().splitlines()
        print(f"check_capacity: FAILED — {error}")
        for line in text[:20]:
            print(f"  {line}")
        return {"check_capacity": "failed", "check_capacity_error": str(error)[:300]}
    print(f"check_capacity: ok — {out.getvalue().strip()}")
    return {"check_capacity": "ok"}


def emit(figures: dict[str, Any]) -> None:
    """The last line of every script: its figures and baselines, as one line of JSON."""

    def plain(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 2)
        if isinstance(value, date):
            return value.isoformat()
        return value

    print(json.dumps({k: plain(v) for k, v in figures.items()}, ensure_ascii=False), flush=True)


# --- Measuring and printing -------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0…100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def to_ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"
