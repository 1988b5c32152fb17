"""PES V2 titles of one month at scale (issue 18): the bench town's canteen month (10,000
households × 2 children × 20 days × 2 products, so 10,000 invoices), invoiced for good, then
exported as one PES Aller file written and validated against the DGFiP's XSD; its time and
peak memory beside the invoicing run's (draft + finalization), measured in the same run.

    python bench/bench_pes.py                       # SQLite: var/bench/bench-pes-10000.sqlite3
    python bench/bench_pes.py --households 1000     # a smaller town
    DATABASE_URL=postgres://… python bench/bench_pes.py

The schema set is read from PES_XSD_PATH, or ../shared/pes-xsd/v5.17 beside the repository.
Each measure runs in a child process of its own (peak RSS by getrusage, RssAnon sampled).
Targets: the export (with every invoice's PDF attached) ≤ 20 % of the invoicing run's time,
< 300 MB. The PDFs are drawn once after the run becomes final (the task it queues, measured
apart and printed beside), so the export reads them. The export without PDFs is measured too.
The last line printed is one JSON object."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import common
from bench_invoicing import MONTH, AnonymousPeak, build_town, measure_run, peak_rss_mb, reset_runs

SLUG = "banc-pes"
TARGET_SHARE, TARGET_RSS_MB = 0.20, 300.0
SHARED_XSD = common.BASE_DIR.parent / "shared" / "pes-xsd" / "v5.17"


def database_url(db: str, households: int) -> str:
    """A base per town size: the town is built once, so a base built for another size would
    be measured under the wrong name."""
    url = common.database_url(db, 0)
    return url.replace("bench-0.sqlite3", f"bench-pes-{households}.sqlite3").replace(
        "espacefamille_bench_0", f"espacefamille_bench_pes_{households}"
    )


def xsd_folder() -> str:
    folder = os.environ.get("PES_XSD_PATH") or (str(SHARED_XSD) if SHARED_XSD.is_dir() else "")
    if not folder:
        sys.exit("PES_XSD_PATH is not set and ../shared/pes-xsd/v5.17 is missing.")
    return folder


def configure(db: str, households: int) -> None:
    url = database_url(db, households)
    os.environ.update(common.server_env(url))
    os.environ["PES_XSD_PATH"] = xsd_folder()
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(common.BASE_DIR / "var" / "bench" / "private"))
    if db == "postgres":
        common._ensure_pg_database(url)
    else:
        (common.BASE_DIR / "var" / "bench").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def prepare(households: int) -> None:
    """The town (built once), debtors' addresses, the treasury settings; no run, no file."""
    from django.db import transaction

    from espacefamille.catalog.models import Service
    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.households.models import Guardian
    from espacefamille.pes.models import (
        BordereauSequence,
        PesFile,
        PesFileInvoice,
        RegieImputation,
        TreasurySettings,
    )

    build_town(SLUG, households)
    town = Municipality.objects.get(slug=SLUG)
    with municipality_scope(town), transaction.atomic():
        for model in (PesFileInvoice, PesFile, BordereauSequence):
            model.objects.all().delete()
        Guardian.objects.filter(address="").update(
            address="1 rue du Banc", postcode="84000", city="Banc-d'Essai"
        )
        TreasurySettings.objects.get_or_create(
            municipality=town,
            defaults={
                "id_coll": "21840001200017",
                "cod_col": "012",
                "cod_bud": "00",
                "id_post": "084000",
                "exer": MONTH.year,
            },
        )
        RegieImputation.objects.get_or_create(
            municipality=town,
            service=Service.objects.get(name="Restaurant scolaire"),
            defaults={"nature": "7067", "fonction": "251", "cod_prod_loc": "RS"},
        )
    reset_runs(SLUG)


def measure_export(with_pdf: bool) -> dict[str, Any]:
    """In this (child) process: the month's PES file, written and validated."""
    from espacefamille.catalog.models import Service
    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.pes.export import pes_export
    from espacefamille.pes.history import pes_file_cancel
    from espacefamille.pes.models import PesFile, PesFileState, TreasurySettings

    town = Municipality.objects.get(slug=SLUG)
    with municipality_scope(town):
        TreasurySettings.objects.update(attach_pdf=with_pdf)
        for live in PesFile.objects.filter(state=PesFileState.SENT):
            pes_file_cancel(pes_file=live, user=None, reason="bench")
        service = Service.objects.get(name="Restaurant scolaire")
        with AnonymousPeak() as anonymous:
            started, cpu_started = time.perf_counter(), time.process_time()
            export = pes_export(service=service, month=MONTH, today=date(2026, 4, 2))
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
    return {
        "titles": export.pes_file.invoice_count,
        "total": str(export.pes_file.total),
        "export_s": round(seconds, 2),
        "export_cpu_s": round(cpu_seconds, 2),
        "file_mb": round(export.path.stat().st_size / 1024 / 1024, 1),
        "peak_rss_mb": peak_rss_mb(),
        "peak_anon_mb": round(anonymous.peak_kb / 1024, 1),
    }


def measure_pdf_store() -> dict[str, Any]:
    """In this (child) process: the task queued when the run became final, which draws and
    keeps every invoice's PDF as issued (``billing.issued_pdfs``), so the export reads them."""
    from espacefamille.billing.issued_pdfs import run_pdfs_store
    from espacefamille.billing.models import InvoiceRun, RunState
    from espacefamille.core.models import Municipality
    from espacefamille.core.tenancy import municipality_scope

    town = Municipality.objects.get(slug=SLUG)
    with municipality_scope(town):
        run = InvoiceRun.objects.get(service__name="Restaurant scolaire", month=MONTH)
        assert run.state == RunState.FINAL
        started = time.perf_counter()
        drawn = run_pdfs_store(run_id=run.pk)
        seconds = time.perf_counter() - started
    return {"pdfs": drawn, "store_s": round(seconds, 2), "peak_rss_mb": peak_rss_mb()}


def child(args: argparse.Namespace, what: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--db", args.db, "--child", what]
    command += ["--households", str(args.households)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    on_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    parser.add_argument(
        "--db", choices=["sqlite", "postgres"], default="postgres" if on_pg else "sqlite"
    )
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--child", choices=["build", "run", "pdfs", "pes", "pes-nopdf"])
    args = parser.parse_args()
    configure(args.db, args.households)
    if args.child:
        if args.child == "build":
            prepare(args.households)
            figures: dict[str, Any] = {}
        elif args.child == "run":
            figures = measure_run(SLUG, finalize=True)
        elif args.child == "pdfs":
            figures = measure_pdf_store()
        else:
            figures = measure_export(with_pdf=args.child == "pes")
        print(json.dumps(figures))
        return

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    vendor = connection.vendor
    connection.close()
    load_at_start = os.getloadavg()[0]
    child(args, "build")
    run = child(args, "run")
    stored = child(args, "pdfs")
    pes = child(args, "pes")
    bare = child(args, "pes-nopdf")
    run_s = run["draft_s"] + run.get("finalize_s", 0)
    share = pes["export_s"] / run_s if run_s else 0.0
    # CPU time of each child process: on SQLite (the database works in the process) the share
    # a loaded machine disturbs least; on PostgreSQL the server's work is not in it.
    cpu_share = pes["export_cpu_s"] / run["cpu_s"] if run["cpu_s"] else 0.0
    figures = {
        "bench": "pes",
        "db": vendor,
        "invoices": run["invoices"],
        "titles": pes["titles"],
        "run_s": round(run_s, 2),
        "run_cpu_s": run["cpu_s"],
        "run_peak_rss_mb": run["peak_rss_mb"],
        "pdf_store_s": stored["store_s"],
        "pdf_store_peak_rss_mb": stored["peak_rss_mb"],
        "pes_s": pes["export_s"],
        "pes_share": round(share, 3),
        "pes_cpu_s": pes["export_cpu_s"],
        "pes_cpu_share": round(cpu_share, 3),
        "pes_peak_rss_mb": pes["peak_rss_mb"],
        "pes_peak_anon_mb": pes["peak_anon_mb"],
        "pes_file_mb": pes["file_mb"],
        "pes_nopdf_s": bare["export_s"],
        "pes_nopdf_share": round(bare["export_s"] / run_s, 3) if run_s else None,
        "pes_nopdf_cpu_s": bare["export_cpu_s"],
        "pes_nopdf_peak_rss_mb": bare["peak_rss_mb"],
        "pes_nopdf_file_mb": bare["file_mb"],
        "load_average": [round(load_at_start, 1), round(os.getloadavg()[0], 1)],
    }
    print(f"\nPES export of one month ({vendor}), {run['invoices']:,} invoices")
    print(
        f"  invoicing run (draft {run['draft_s']:.1f} s + finalize {run.get('finalize_s')} s):"
        f" {run_s:.1f} s, peak RSS {run['peak_rss_mb']:.0f} MB"
    )
    print(
        f"  PDFs as issued, drawn once after the run (a background task): {stored['pdfs']:,} in"
        f" {stored['store_s']:.1f} s, peak RSS {stored['peak_rss_mb']:.0f} MB"
    )
    print(
        f"  PES file with the stored PDFs: {pes['titles']:,} titles, {pes['file_mb']} MB, "
        f"{pes['export_s']:.1f} s = {share:.0%} of the run — target ≤ {TARGET_SHARE:.0%}: "
        f"{common.verdict(share <= TARGET_SHARE)}; peak RSS {pes['peak_rss_mb']:.0f} MB "
        f"(RssAnon {pes['peak_anon_mb']:.0f} MB) — target < {TARGET_RSS_MB:.0f} MB: "
        f"{common.verdict(pes['peak_rss_mb'] < TARGET_RSS_MB)}"
    )
    print(
        f"  PES file without PDFs: {bare['file_mb']} MB, {bare['export_s']:.1f} s, "
        f"peak RSS {bare['peak_rss_mb']:.0f} MB"
    )
    print(
        f"  CPU time of the processes: run {run['cpu_s']:.1f} s, PES file with PDFs "
        f"{pes['export_cpu_s']:.1f} s = {cpu_share:.0%}, without {bare['export_cpu_s']:.1f} s;"
        f" load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
