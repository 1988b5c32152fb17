"""(f) One production worker's memory: a gunicorn of one sync worker on the bench database,
its resident memory read from ``/proc`` once it has started (warm-up included), then after
each of ``--requests`` GETs (the week agenda of random families, services and weeks, and
``/contacts/``). Figures: the RSS after the requests and the peak (``VmHWM``, the most the
process ever held, start included), against the target of issue 17: ≤ 100 MB. The baseline is
the bare interpreter (``python -c pass``) measured in the same run.

Where the peak comes from is printed too: the RSS right after start, the request that grew the
RSS most, and whether Python could read compiled bytecode (``PYTHONDONTWRITEBYTECODE`` with no
``.pyc`` beside the sources makes every import compile its module: a transient ~25 MB at
start, gone when the bytecode exists — ``bench/run_all.sh`` gives the benches a bytecode cache
of their own in ``var/pycache``, as an installed server has).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import common
import http_load

TARGET_MB = 100.0
FAMILIES = 20


def memory(pid: int) -> dict[str, float]:
    """VmRSS, VmHWM (peak) and RssAnon of a process, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            found[key] = round(int(value.split()[0]) / 1024, 1)
    return found


def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise SystemExit("gunicorn started no worker")


def bare_interpreter_mb() -> float:
    """The peak of ``python -c`` reading its own status (VmHWM starts afresh at exec, unlike
    getrusage's ru_maxrss, which Linux keeps from the parent)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pathlib; print([l for l in pathlib.Path('/proc/self/status').read_text()"
            ".splitlines() if l.startswith('VmHWM:')][0].split()[1])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return round(int(done.stdout) / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.core.management import call_command

    from espacefamille.core.tenancy import municipality_scope

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest of DEBUG=0
    rng = random.Random(common.SEED)
    guardians = common.sample_guardians(bench, FAMILIES, rng)
    with municipality_scope(bench.town):
        families = []
        for guardian in guardians:
            key, headers = http_load.signed_in(guardian.user)
            families.append((key, headers, list(guardian.household.children.all())))
    services = list(bench.services.values())
    mondays = [
        bench.start + timedelta(days=(7 - bench.start.weekday()) % 7 + 7 * k)
        for k in range((bench.end - bench.start).days // 7)
    ]
    bytecode = not os.environ.get("PYTHONDONTWRITEBYTECODE") or bool(
        os.environ.get("PYTHONPYCACHEPREFIX")
    )
    server, port = http_load.start_server(bench.url, bench.vendor, workers=1, log_name="memory")
    statuses: set[int] = set()
    grew = (0.0, "")
    try:
        pid = worker_pid(server.pid)
        # start_server's readiness probe was the worker's first request (the sign-in page).
        started = memory(pid)
        previous = started["VmRSS"]
        for index in range(args.requests):
            _key, headers, children = rng.choice(families)
            if index % 5 == 4:
                path = "/contacts/"
            else:
                child, monday = rng.choice(children), rng.choice(mondays)
                path = (
                    f"/reservations/?service={rng.choice(services).pk}&enfant={child.pk}"
                    f"&semaine={monday.isoformat()}"
                )
            headers = {k: v for k, v in headers.items() if k == "Cookie"}
            statuses.add(http_load.call(port, "GET", path, headers).status)
            now = memory(pid)
            if now["VmRSS"] - previous > grew[0]:
                grew = (round(now["VmRSS"] - previous, 1), path)
            previous = now["VmRSS"]
        after = memory(pid)
    finally:
        http_load.stop_server(server)
    with municipality_scope(bench.town):
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key__in=[key for key, _h, _c in families]).delete()
    bare = bare_interpreter_mb()
    peak = after["VmHWM"]
    print(
        f"\nOne gunicorn worker ({bench.vendor}), {args.requests} GETs "
        f"(agenda pages, /contacts/), bytecode cache: {'yes' if bytecode else 'no'}"
    )
    print(f"  bare interpreter (baseline): {bare:.1f} MB")
    print(
        f"  after start (warm-up):       RSS {started['VmRSS']:.1f} MB "
        f"(anon {started['RssAnon']:.1f}), peak {started['VmHWM']:.1f} MB"
    )
    print(
        f"  after {args.requests} requests:         RSS {after['VmRSS']:.1f} MB "
        f"(anon {after['RssAnon']:.1f}, file {after['RssFile']:.1f}), peak {peak:.1f} MB"
    )
    print(f"  largest growth by one request: {grew[0]:.1f} MB ({grew[1] or '—'})")
    print(f"  statuses: {sorted(statuses)}")
    ok = max(after["VmRSS"], peak) <= TARGET_MB
    print(
        f"  worker memory, peak included: {peak:.1f} MB — target ≤ {TARGET_MB:.0f} MB: "
        f"{common.verdict(ok)}"
    )
    figures = {
        "bench": "worker_memory",
        "db": bench.vendor,
        "households": bench.households,
        "requests": args.requests,
        "bytecode_cache": bytecode,
        "start_rss_mb": started["VmRSS"],
        "start_peak_mb": started["VmHWM"],
        "rss_mb": after["VmRSS"],
        "anon_mb": after["RssAnon"],
        "peak_mb": peak,
        "baseline_mb": bare,
        "largest_growth_mb": grew[0],
        "statuses": sorted(statuses),
    }
    figures |= common.check_capacity()
    common.emit(figures)


if __name__ == "__main__":
    main()
