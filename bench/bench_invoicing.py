"""Monthly invoicing at scale (issue 11): the draft run of one régie for 10,000 children × 20
school days × 2 products (about 400,000 lines), the same for a tenth of the data (linear
growth: 10× the data ≤ 11× the time), the run's peak resident memory, finalization, and 1,000
invoice PDFs.

    python bench/bench_invoicing.py             # SQLite: var/bench/bench-invoicing.sqlite3
    DATABASE_URL=postgres://… python bench/bench_invoicing.py   # espacefamille_bench_invoicing

Each run is measured in a child process of its own, so its peak RSS (getrusage) is the run's
and not the data building's. The data are built once and kept; every bench resets the runs.
The last line printed is one JSON object of the figures."""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import common

MONTH = date(2026, 3, 1)  # Monday 2 … Friday 27 March 2026: 20 weekdays
DAYS = [MONTH + timedelta(days=n) for n in range(31) if (MONTH + timedelta(days=n)).weekday() < 5][
    :20
]
PRODUCTS = ("REPAS", "GOUTER")
TOWNS = {"full": ("banc-facturation", 5000), "tenth": ("banc-facturation-dixieme", 500)}
CHILDREN_PER_HOUSEHOLD = 2
SEED = 20260302
TARGET_SECONDS, TARGET_RSS_MB, TARGET_PDF_SECONDS = 60.0, 300.0, 10.0


def database_url(db: str) -> str:
    url = common.database_url(db, 0)
    return url.replace("bench-0.sqlite3", "bench-invoicing.sqlite3").replace(
        "espacefamille_bench_0", "espacefamille_bench_invoicing"
    )


def configure(db: str) -> None:
    url = database_url(db)
    os.environ.update(common.server_env(url))
    if db == "postgres":
        common._ensure_pg_database(url)
    else:
        (common.BASE_DIR / "var" / "bench").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start : start + 50_000])


def build_town(slug: str, households: int) -> None:
    """A town with the demo catalog plus GOUTER, ``households`` × 2 children, each booked on
    the 20 days for both products; attendance: 90 % present, 4 % unjustified absences, 3 %
    justified, 3 % never recorded (anomalies); 1 % more days present without a booking."""
    from django.db import connection, transaction

    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import scopes_disabled
    from espacefamille.households.setup import municipality_setup

    with scopes_disabled():
        if Municipality.objects.filter(slug=slug).exists():
            return
    print(f"building {slug}: {households} households…", flush=True)
    ops = connection.ops
    # One transaction with the town: a failed build leaves no half-built town behind.
    with transaction.atomic():
        with scopes_disabled():
            town = municipality_setup(name=f"Commune {slug}", slug=slug, holiday_zone="C")
        _build_households(town, households, ops)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _build_households(town: Any, households: int, ops: Any) -> None:
    from django.utils import timezone

    from espacefamille.bookings.models import Attendance, Booking
    from espacefamille.catalog.models import Product
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.demo.catalog import load_catalog
    from espacefamille.households.models import Child, Guardian, Household

    slug = town.slug
    with municipality_scope(town):
        restaurant = load_catalog(town)[0]
        Product.objects.create(
            municipality=town,
            service=restaurant,
            name="GOUTER",
            unit_price="0.80",
            weekdays="01234",
            position=9,
        )
        products = [Product.objects.get(service=restaurant, name=name) for name in PRODUCTS]
        homes = Household.objects.bulk_create(
            [Household(municipality=town, name=f"FAMILLE {i:05d}") for i in range(households)],
            batch_size=1000,
        )
        Guardian.objects.bulk_create(
            [
                Guardian(
                    municipality=town,
                    household=home,
                    rank=1,
                    civility="MME",
                    first_name="Camille",
                    last_name=home.name,
                    email=f"{slug}-{home.pk}@example.org",
                )
                for home in homes
            ],
            batch_size=1000,
        )
        children = Child.objects.bulk_create(
            [
                Child(
                    municipality=town,
                    household=home,
                    first_name=f"Enfant{k}",
                    last_name=home.name,
                    birth_date=date(2017, 1, 1),
                )
                for home in homes
                for k in range(CHILDREN_PER_HOUSEHOLD)
            ],
            batch_size=1000,
        )
        rng = random.Random(SEED)
        now = ops.adapt_datetimefield_value(timezone.now())
        bookings, attendances = [], []
        for child in children:
            for product in products:
                for day in DAYS:
                    stored = ops.adapt_datefield_value(day)
                    bookings.append(
                        (
                            town.pk,
                            child.pk,
                            child.household_id,
                            product.pk,
                            stored,
                            "validated",
                            "",
                            "",
                            now,
                            now,
                        )
                    )
                    draw = rng.random()
                    state = (
                        "present"
                        if draw < 0.90
                        else "absent"
                        if draw < 0.94
                        else "justified"
                        if draw < 0.97
                        else None
                    )
                    if state:
                        attendances.append((town.pk, child.pk, product.pk, stored, state, now))
        _insert(
            Booking._meta.db_table,
            [
                "municipality_id",
                "child_id",
                "household_id",
                "product_id",
                "date",
                "status",
                "decision_reason",
                "closure_reason",
                "created_at",
                "updated_at",
            ],
            bookings,
        )
        _insert(
            Attendance._meta.db_table,
            ["municipality_id", "child_id", "product_id", "date", "state", "recorded_at"],
            attendances,
        )
    print(f"  {len(bookings):,} bookings, {len(attendances):,} attendances", flush=True)


def reset_runs(slug: str) -> None:
    """Forget the previous bench's invoices (bench data only), so the run starts afresh."""
    from django.db import transaction

    from espacefamille.billing.models import (
        Allocation,
        Invoice,
        InvoiceLine,
        InvoiceRun,
        IssuedInvoicePdf,
        NumberSequence,
        Settlement,
    )
    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import municipality_scope

    town = Municipality.objects.get(slug=slug)
    with municipality_scope(town), transaction.atomic():
        models = (Allocation, Settlement, InvoiceLine, IssuedInvoicePdf, Invoice, InvoiceRun)
        for model in (*models, NumberSequence):
            model.objects.all().delete()


class AnonymousPeak:
    """Samples RssAnon (the process's own heap, without the pages of the SQLite file that
    ``mmap_size`` maps into RSS) every 20 ms while the run works."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        status = Path("/proc/self/status")
        while not self._stop.is_set():
            if status.exists():
                for line in status.read_text().splitlines():
                    if line.startswith("RssAnon:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            self._stop.wait(0.02)

    def __enter__(self) -> AnonymousPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure_run(slug: str, finalize: bool) -> dict[str, Any]:
    """In this (child) process: the draft run, then finalization; peak RSS of the process."""
    from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
    from espacefamille.catalog.models import Service
    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import municipality_scope

    town = Municipality.objects.get(slug=slug)
    with municipality_scope(town), AnonymousPeak() as anonymous:
        service = Service.objects.get(name="Restaurant scolaire")
        started, cpu_started = time.perf_counter(), time.process_time()
        run = invoice_run_draft(service=service, month=MONTH)
        draft_seconds = time.perf_counter() - started
        figures = {
            "lines": run.line_count,
            "invoices": run.invoice_count,
            "anomalies": run.anomaly_count,
            "draft_s": round(draft_seconds, 2),
        }
        if finalize:
            started = time.perf_counter()
            invoice_run_finalize(run=run, issued_on=date(2026, 4, 1))
            figures["finalize_s"] = round(time.perf_counter() - started, 2)
        # This process's CPU time (SQLite works in it): what a loaded machine changes least.
        figures["cpu_s"] = round(time.process_time() - cpu_started, 2)
    figures["peak_rss_mb"] = peak_rss_mb()
    figures["peak_anon_mb"] = round(anonymous.peak_kb / 1024, 1)
    return figures


def peak_rss_mb() -> float:
    """This process's peak resident memory (getrusage; Linux reports kilobytes). Linux keeps
    ru_maxrss across fork and exec, which is why the data are built in another child and the
    parent stays small."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _render(slug: str, ids: list[int]) -> int:
    """Render the invoices' PDFs (in a worker process): load lines, lay out, check the bytes."""
    from django.db import connection

    from espacefamille.billing.models import Invoice
    from espacefamille.billing.pdf import invoice_pdf
    from espacefamille.billing.selectors import invoice_lines
    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import municipality_scope

    town = Municipality.objects.get(slug=slug)
    with municipality_scope(town):
        invoices = Invoice.objects.filter(pk__in=ids).select_related("municipality", "service")
        for invoice in invoices:
            content = invoice_pdf(invoice=invoice, lines=invoice_lines(invoice=invoice))
            assert content[:4] == b"%PDF"
    connection.close()
    return len(ids)


def measure_pdfs(slug: str, count: int) -> dict[str, Any]:
    """``count`` PDFs over as many processes as cores (a PDF is CPU-bound Python)."""
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connection

    from espacefamille.billing.models import Invoice
    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import municipality_scope

    town = Municipality.objects.get(slug=slug)
    with municipality_scope(town):
        ids = list(Invoice.objects.order_by("pk").values_list("pk", flat=True)[:count])
        lines = sum(Invoice.objects.get(pk=pk).lines.count() for pk in ids[:10]) / 10
    connection.close()
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        done = sum(pool.map(_render, [slug] * workers, [ids[i::workers] for i in range(workers)]))
    seconds = time.perf_counter() - started
    return {"pdfs": done, "pdf_s": round(seconds, 2), "pdf_lines_each": lines, "workers": workers}


def child(args: argparse.Namespace, what: str, slug: str, households: int = 0) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--db",
        args.db,
        "--child",
        what,
        "--town",
        slug,
        "--pdfs",
        str(args.pdfs),
        "--households",
        str(households),
    ]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    for line in done.stdout.strip().splitlines()[:-1]:
        print(line, flush=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    on_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    parser.add_argument(
        "--db", choices=["sqlite", "postgres"], default="postgres" if on_pg else "sqlite"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the households")
    parser.add_argument("--pdfs", type=int, default=1000)
    parser.add_argument(
        "--child", choices=["build", "run", "run-final", "pdfs"], help=argparse.SUPPRESS
    )
    parser.add_argument("--households", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--town", help=argparse.SUPPRESS)
    args = parser.parse_args()
    configure(args.db)
    if args.child:
        if args.child == "build":
            build_town(args.town, args.households)
            reset_runs(args.town)
            figures: dict[str, Any] = {}
        elif args.child == "pdfs":
            figures = measure_pdfs(args.town, args.pdfs)
        else:
            figures = measure_run(args.town, finalize=args.child == "run-final")
        print(json.dumps(figures))
        return

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    towns = {
        key: (
            f"{slug}-x{args.scale:g}" if args.scale != 1 else slug,
            max(1, int(size * args.scale)),
        )
        for key, (slug, size) in TOWNS.items()
    }
    for slug, households in towns.values():  # in child processes: the parent stays small
        child(args, "build", slug, households)
    vendor = connection.vendor
    connection.close()
    tenth = child(args, "run", towns["tenth"][0])
    full = child(args, "run", towns["full"][0])
    again = child(args, "run-final", towns["full"][0])  # a second draft replaces the first
    pdfs = child(args, "pdfs", towns["full"][0])
    ratio = full["draft_s"] / tenth["draft_s"] if tenth["draft_s"] else 0.0
    figures = {
        "bench": "invoicing",
        "db": vendor,
        "children": towns["full"][1] * CHILDREN_PER_HOUSEHOLD,
        "lines": full["lines"],
        "invoices": full["invoices"],
        "anomalies": full["anomalies"],
        "draft_s": full["draft_s"],
        "lines_per_s": round(full["lines"] / full["draft_s"]) if full["draft_s"] else None,
        "redraft_s": again["draft_s"],
        "finalize_s": again.get("finalize_s"),
        "peak_rss_mb": max(full["peak_rss_mb"], again["peak_rss_mb"]),
        "tenth_lines": tenth["lines"],
        "tenth_draft_s": tenth["draft_s"],
        "peak_anon_mb": max(full["peak_anon_mb"], again["peak_anon_mb"]),
        "tenth_peak_rss_mb": tenth["peak_rss_mb"],
        "tenth_peak_anon_mb": tenth["peak_anon_mb"],
        "growth_ratio": round(ratio, 2),
        "pdfs": pdfs["pdfs"],
        "pdf_lines_each": pdfs["pdf_lines_each"],
        "pdfs_s": pdfs["pdf_s"],
        "pdf_workers": pdfs["workers"],
    }
    print(
        f"\nInvoicing run of one month ({vendor}), {figures['children']:,} children × "
        f"{len(DAYS)} days × {len(PRODUCTS)} products"
    )
    print(
        f"  draft: {full['lines']:,} lines, {full['invoices']:,} invoices in "
        f"{full['draft_s']:.1f} s ({figures['lines_per_s']:,} lines/s) — target ≤ "
        f"{TARGET_SECONDS:.0f} s: {common.verdict(full['draft_s'] <= TARGET_SECONDS)}"
    )
    print(
        f"  draft again (replaces the draft): {again['draft_s']:.1f} s; "
        f"finalize (numbers, credits): {again.get('finalize_s')} s"
    )
    print(
        f"  a tenth of the data: {tenth['lines']:,} lines in {tenth['draft_s']:.1f} s; "
        f"10× data = {ratio:.1f}× time — target ≤ 11×: {common.verdict(ratio <= 11)}"
    )
    print(
        f"  peak RSS of the run: {figures['peak_rss_mb']:.0f} MB (tenth: "
        f"{tenth['peak_rss_mb']:.0f} MB) — target < {TARGET_RSS_MB:.0f} MB: "
        f"{common.verdict(figures['peak_rss_mb'] < TARGET_RSS_MB)}"
    )
    print(
        f"    of which the process's own memory (RssAnon): {figures['peak_anon_mb']:.0f} MB "
        f"(tenth: {tenth['peak_anon_mb']:.0f} MB); the rest is the SQLite file mapped by "
        f"mmap_size (config/settings.py), which the kernel may drop at any time"
        if vendor == "sqlite"
        else f"    of which RssAnon: {figures['peak_anon_mb']:.0f} MB"
    )
    print(
        f"  {pdfs['pdfs']} PDFs of ~{pdfs['pdf_lines_each']:.0f} lines: {pdfs['pdf_s']:.1f} s"
        f" ({pdfs['workers']} processes) — target ≤ {TARGET_PDF_SECONDS:.0f} s: "
        f"{common.verdict(pdfs['pdf_s'] <= TARGET_PDF_SECONDS)}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
