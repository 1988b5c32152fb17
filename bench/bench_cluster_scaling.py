"""What it costs to grow: the 200-client validation rush of bench_concurrent_validation.py sent
through the local cluster's haproxy (``make cluster``) with 1, 2 and 3 app nodes in service
(the others put in maintenance through haproxy's admin socket), in the same run. On one
machine more nodes add no cores, so the figure that matters is what a deployment multiplies:
validations per CPU-second, with the CPU time of the app nodes (gunicorn masters and workers)
and of PostgreSQL (the primary and the replica, every backend) and pgbouncer measured from
/proc around each rush. Ends with one line of JSON.

    .venv/bin/python bench/bench_cluster_scaling.py [--households 600] [--parents 200]
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from pathlib import Path

OPS = Path(__file__).resolve().parent.parent / "ops"
sys.path[:0] = [str(OPS), str(OPS / "faults")]

import cluster_layout as L  # noqa: E402
import rush  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def haproxy_command(command: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(L.RUN / "haproxy.sock"))
        sock.sendall(command.encode() + b"\n")
        return sock.recv(65536).decode()


def nodes_in_service(count: int) -> None:
    for index in range(len(L.APP_PORTS)):
        state = "ready" if index < count else "maint"
        haproxy_command(f"set server apps/app{index + 1} state {state}")
    time.sleep(1.5)


def cpu_seconds(pids: set[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total / TICKS


def processes() -> dict[str, set[int]]:
    """The app nodes' and the databases' processes (with their children's past CPU time)."""
    found: dict[str, set[int]] = {"app": set(), "postgres": set(), "pgbouncer": set()}
    masters = {L.pid_of(f"app{i + 1}") for i in range(len(L.APP_PORTS))}
    postmasters = set()
    for name in ("primary", "replica"):
        with contextlib.suppress(OSError, ValueError):
            postmasters.add(int((L.PG / name / "postmaster.pid").read_text().split()[0]))
    bouncers = {L.pid_of("pgbouncer-primary"), L.pid_of("pgbouncer-replica")}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(stat[1])
        if pid in masters or ppid in masters:
            found["app"].add(pid)
        elif pid in postmasters or ppid in postmasters:
            found["postgres"].add(pid)
        elif pid in bouncers:
            found["pgbouncer"].add(pid)
    return found


def measured_rush(bench: object, args: object, nodes: int) -> dict[str, object]:
    nodes_in_service(nodes)
    before = {kind: (pids, cpu_seconds(pids)) for kind, pids in processes().items()}
    figures = rush.rush(
        bench,
        parents=args.parents,
        places=args.places,
        fault=None,  # type: ignore[attr-defined]
        fault_after=0,
    )
    after = processes()
    cpu = {}
    for kind, (pids, start) in before.items():
        cpu[kind] = cpu_seconds(pids | after[kind]) - start
    # Validations the app computed (accepted or refused); haproxy's 503s (queue timeout) did
    # no work and are not counted.
    validations = sum(
        n
        for kind, n in figures["outcomes"].items()  # type: ignore[union-attr]
        if kind.startswith(("accepted", "refused"))
    )
    total = sum(cpu.values())
    return {
        "nodes": nodes,
        "rate_per_s": figures["rate_per_s"],
        "validations": validations,
        "cpu_app_s": round(cpu["app"], 2),
        "cpu_postgres_s": round(cpu["postgres"], 2),
        "cpu_pgbouncer_s": round(cpu["pgbouncer"], 2),
        "app_ms_per_validation": round(1000 * cpu["app"] / validations, 1),
        "postgres_ms_per_validation": round(1000 * cpu["postgres"] / validations, 1),
        "validations_per_cpu_s": round(validations / total, 2) if total else None,
        "accepted_lost": figures["accepted_lost"],
        "overbooked": figures["overbooked"],
        "errors_5xx": figures["errors_5xx"],
        "check_capacity": figures["check_capacity"],
        "outcomes": figures["outcomes"],
    }


def main() -> None:
    args = rush.arguments(__doc__.split("\n\n")[0])
    bench = rush.setup(args.households)
    runs = []
    try:
        for nodes in (1, 2, 3):
            runs.append(measured_rush(bench, args, nodes))
            print(runs[-1])
    finally:
        nodes_in_service(len(L.APP_PORTS))
    import common

    ok = all(r["accepted_lost"] == 0 and r["overbooked"] == 0 for r in runs)
    common.emit(
        {
            "bench": "cluster_scaling",
            "ok": ok,
            "cores": os.cpu_count(),
            "load_avg_1m": round(os.getloadavg()[0], 2),
            "runs": runs,
            "per_cpu_s_ratio_3_over_1": round(
                runs[2]["validations_per_cpu_s"] / runs[0]["validations_per_cpu_s"],
                2,  # type: ignore[operator]
            ),
        }
    )


if __name__ == "__main__":
    main()
