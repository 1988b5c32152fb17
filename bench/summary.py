"""The table of ``bench/run_all.sh``: for each target of the README, its figure, the baseline
measured in the same run, and met/missed, read from the last line (JSON) of each bench's log,
with the machine's load average before and after each bench.

    .venv/bin/python bench/summary.py var/bench/run_all-<time>
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Row = tuple[str, str, str, str, bool | None]  # target, figure, baseline, goal, met

# bench → rows: (what, figure(json), baseline(json), goal text, met(json))
Check = tuple[str, Callable[[dict], str], Callable[[dict], str], str, Callable[[dict], bool]]


def ms(value: Any) -> str:
    return "—" if value is None else f"{value:.1f} ms"


CHECKS: dict[str, list[Check]] = {
    "bench_year_booking": [
        (
            "(a) school year, 822 lines, add + validate",
            lambda j: f"{ms(j['total_ms'])} = {j['ratio_bulk_create']:.2f}× bulk_create",
            lambda j: f"bulk_create {ms(j['bulk_create_ms'])}",
            "≤ 2.5×",
            lambda j: j["ratio_bulk_create"] <= 2.5,
        ),
    ],
    "bench_agenda": [
        (
            "(b) week agenda p95",
            lambda j: f"{ms(j['p95_ms'])} = {j['ratio_p95']:.2f}×, {j['queries']} queries",
            lambda j: f"/contacts/ p95 {ms(j['baseline_p95_ms'])}",
            "≤ 50 ms (load ≤ 2) or ≤ 4×",
            lambda j: (j["p95_ms"] <= 50 or j["ratio_p95"] <= 4) and j["queries"] <= 10,
        ),
    ],
    "bench_home": [
        (
            "family home p95 (issue 21)",
            lambda j: (
                f"{ms(j['p95_ms'])} = {j['ratio_p95']:.2f}×; CPU p50 {j['ratio_cpu_p50']:.2f}×, "
                f"{max(j['queries_by_children'].values())} queries"
            ),
            lambda j: f"/contacts/ p95 {ms(j['baseline_p95_ms'])}",
            "p95 ≤ 2×, queries fixed",
            lambda j: j["ratio_p95"] <= 2 and len(set(j["queries_by_children"].values())) == 1,
        ),
    ],
    "bench_concurrent_validation": [
        (
            "(c) 200 parents validating at once",
            lambda j: (
                f"{j['rate_per_s']:.1f}/s = {100 * j['ratio_rate']:.0f} %, p95 "
                f"{j['ratio_p95']:.1f}×; overbooked {j['overbooked']}, 5xx {j['errors_5xx']}"
                + (
                    " (median of rounds at "
                    + ", ".join(f"{100 * r['ratio_rate']:.0f}" for r in j["rounds"])
                    + " %)"
                    if len(j.get("rounds", ())) > 1
                    else ""
                )
            ),
            lambda j: f"trivial {j['baseline_rate_per_s']:.1f}/s, p95 {ms(j['baseline_p95_ms'])}",
            "≥ 50 %, p95 ≤ 2×, 0, 0",
            lambda j: (
                j["ratio_rate"] >= 0.5
                and j["ratio_p95"] <= 2
                and not j["overbooked"]
                and not j["errors_5xx"]
            ),
        ),
    ],
    "bench_validation_cpu": [
        (
            "one validation's CPU (4 REPAS lines)",
            lambda j: (
                f"{ms(j['validation_cpu_ms'])} = {j['ratio']:.2f}×, "
                f"{j['statements']:.0f} statements; a year {ms(j.get('year_cpu_ms'))}"
            ),
            lambda j: f"/contacts/ {ms(j['contacts_cpu_ms'])} CPU",
            "≤ 2×",
            lambda j: j["ratio"] <= 2,
        ),
    ],
    "bench_kitchen": [
        (
            "kitchen counts, 50 sites, p95",
            lambda j: f"{ms(j['kitchen_p95_ms'])} ({j['ratio_kitchen_p95']:.1f}×)",
            lambda j: f"/agents/accueil/ p95 {ms(j['baseline_p95_ms'])}",
            "≤ 100 ms",
            lambda j: j["kitchen_p95_ms"] <= 100,
        ),
        (
            "day view, 5,000 bookings, p95",
            lambda j: f"{ms(j['day_p95_ms'])} ({j['ratio_day_p95']:.1f}×)",
            lambda j: f"/agents/accueil/ p95 {ms(j['baseline_p95_ms'])}",
            "≤ 100 ms",
            lambda j: j["day_p95_ms"] <= 100,
        ),
    ],
    "bench_invoicing": [
        (
            "invoicing draft of a month",
            lambda j: f"{j['draft_s']:.1f} s, {j['lines']:,} lines; 10× data {j['growth_ratio']}×",
            lambda j: f"a tenth: {j['tenth_draft_s']:.1f} s",
            "≤ 60 s, ≤ 11×",
            lambda j: j["draft_s"] <= 60 and j["growth_ratio"] <= 11,
        ),
        (
            "invoice PDFs",
            lambda j: f"{j['pdfs']} PDFs in {j['pdfs_s']:.1f} s",
            lambda j: f"{j['pdf_lines_each']:.0f} lines each",
            "1,000 ≤ 10 s",
            lambda j: j["pdfs_s"] * 1000 / max(j["pdfs"], 1) <= 10,
        ),
    ],
    "bench_worker_memory": [
        (
            "one worker's memory, peak included",
            lambda j: f"RSS {j['rss_mb']:.1f} MB, peak {j['peak_mb']:.1f} MB",
            lambda j: f"bare interpreter {j['baseline_mb']:.1f} MB",
            "≤ 100 MB",
            lambda j: max(j["rss_mb"], j["peak_mb"]) <= 100,
        ),
    ],
}


def last_json(log: Path) -> dict | None:
    for line in reversed(log.read_text(errors="replace").splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def main(folder: Path) -> None:
    print("| bench (db) | target | figure | baseline (same run) | goal | verdict | load avg |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for log in sorted(folder.glob("*.log")):
        name, _sep, db = log.stem.rpartition("-")
        load_file = log.with_suffix(".load")
        load = (
            " → ".join(line.split()[0] for line in load_file.read_text().splitlines())
            if load_file.exists()
            else "?"
        )
        figures = last_json(log)
        for what, figure, baseline, goal, met in CHECKS.get(name, []):
            if figures is None:
                print(f"| {name} ({db}) | {what} | failed: see {log} | | {goal} | — | {load} |")
                continue
            verdict = "met" if met(figures) else "missed"
            if figures.get("check_capacity") == "failed":
                verdict += ", check_capacity FAILED"
            print(
                f"| {name} ({figures.get('db', db)}) | {what} | {figure(figures)} | "
                f"{baseline(figures)} | {goal} | {verdict} | {load} |"
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
