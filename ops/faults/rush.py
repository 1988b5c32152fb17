"""The validation rush the fault scripts play against the local cluster (``make cluster``):
bench/bench_concurrent_validation.py's 200 parents validating a week of REPAS at once, sent
through haproxy, with a fault injected while they wait, then what the database holds.

The bench town (``banc-essai``, ``--households`` families, bench/town_data.py) is built once
inside the cluster's database, beside the demo towns. Every script ends with one line of JSON:
``accepted_lost`` (clients answered "validated" whose booking is not in the database),
``overbooked`` (ledger and count of bookings), ``check_capacity``, the outcomes by kind, and
the fault's own figures."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent.parent / "bench")]

import cluster_layout as L  # noqa: E402

Fault = Callable[[], dict[str, Any]]


def setup(households: int) -> Any:
    """Django on the cluster's database (through its pgbouncer), with the bench town."""
    os.environ.update(L.app_env())
    os.environ["DATABASE_URL"] = L.database_url(L.BOUNCER_PORTS["primary"])
    os.environ.pop("DATABASE_REPLICA_URL", None)  # the script reads the primary only
    import django

    django.setup()
    import common

    url = os.environ["DATABASE_URL"]
    bench = common._load(url, households)
    if bench is None:
        from town_data import build_town

        print(f"building the bench town ({households} households) in the cluster's database")
        build_town(households)
        bench = common._load(url, households)
        if bench is None:
            raise SystemExit("the bench town is incomplete (another size?): see --households")
    return bench


def rush(
    bench: Any, *, parents: int, places: int, fault: Fault | None, fault_after: float
) -> dict[str, Any]:
    """The rush, ``fault`` run ``fault_after`` seconds after the clients start connecting."""
    import common
    from bench_concurrent_validation import VALIDATE_URL, after_load, load, prepare, restore
    from django.db import connections
    from django.utils import timezone

    started_at = timezone.now()
    scenario = prepare(bench, parents, places, 1)
    fault_figures: dict[str, Any] = {}

    def inject() -> None:
        time.sleep(fault_after)
        if fault is not None:
            fault_figures.update(fault())

    try:
        injector = threading.Thread(target=inject, daemon=True)
        begun = time.perf_counter()
        injector.start()
        outcomes = load(L.HAPROXY_PORT, "POST", VALIDATE_URL, scenario.parents)
        wall = time.perf_counter() - begun
        injector.join(timeout=120)
        connections.close_all()  # this process's own connection may have met the fault
        seen = after_load(bench, scenario)
    finally:
        restore(bench, scenario, started_at)
    booked = seen["booked_children"]
    kinds: dict[str, int] = {}
    lost = 0
    for child, outcome in zip(scenario.children, outcomes, strict=True):
        if outcome.error:
            kind = "no answer"
        elif outcome.status == 302:
            kind = "accepted (302)"
            lost += child.pk not in booked
        elif outcome.status >= 500:
            kind = f"failed ({outcome.status})"
        else:
            kind = f"refused ({outcome.status})"
        kinds[kind] = kinds.get(kind, 0) + 1
    answered = [o for o in outcomes if not o.error]
    return {
        "parents": len(scenario.parents),
        "places": places,
        "wall_s": round(wall, 2),
        "rate_per_s": round(len(answered) / wall, 2) if wall else None,
        "accepted_seen": kinds.get("accepted (302)", 0),
        "booked": len(booked),
        "accepted_lost": lost,
        "overbooked": max(seen["overbooked_ledger"], seen["overbooked_count"]),
        "ledger_differences": seen["ledger_differences"],
        "errors_5xx": sum(o.status >= 500 for o in answered),
        "no_answer": sum(bool(o.error) for o in outcomes),
        "outcomes": dict(sorted(kinds.items())),
        **fault_figures,
        **common.check_capacity(),
    }


def emit(name: str, figures: dict[str, Any]) -> None:
    import common

    ok = (
        figures.get("accepted_lost") == 0
        and figures.get("overbooked") == 0
        and figures.get("check_capacity") == "ok"
    )
    print(
        f"{name}: accepted lost {figures.get('accepted_lost')}, overbooked "
        f"{figures.get('overbooked')}, check_capacity {figures.get('check_capacity')} — "
        f"{'OK' if ok else 'MISSED'}"
    )
    common.emit({"fault": name, "ok": ok, **figures})


def arguments(description: str) -> Any:
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--households", type=int, default=600)
    parser.add_argument("--parents", type=int, default=200)
    parser.add_argument("--places", type=int, default=120)
    parser.add_argument("--fault-after", type=float, default=1.5, help="seconds into the rush")
    return parser.parse_args()
