"""Fault: ``kill -9`` of one app node (its gunicorn master and workers) during the 200-client
validation rush through haproxy. Expected: every validation a client saw accepted is in the
database, nothing overbooked, ``check_capacity`` clean; only the requests the killed node had
in flight fail (counted), haproxy sends the rest to the two other nodes. The node is started
again afterwards. Ends with one line of JSON.

    .venv/bin/python ops/faults/app_node_kill.py [--households 600] [--fault-after 1.5]
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

OPS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(OPS), str(OPS / "faults")]

import cluster  # noqa: E402
import cluster_layout as L  # noqa: E402
import rush  # noqa: E402


def kill_node() -> dict[str, object]:
    pid = L.pid_of("app1")
    if pid is None:
        return {"killed": None}
    os.killpg(pid, signal.SIGKILL)
    return {"killed": "app1", "killed_at_s": round(time.monotonic(), 2)}


def main() -> None:
    args = rush.arguments(__doc__.split("\n\n")[0])
    bench = rush.setup(args.households)
    figures = rush.rush(
        bench,
        parents=args.parents,
        places=args.places,
        fault=kill_node,
        fault_after=args.fault_after,
    )
    figures.pop("killed_at_s", None)
    cluster.app_start(0)
    cluster.wait_serving()
    figures["failed_in_flight"] = figures["errors_5xx"] + figures["no_answer"]
    rush.emit("app_node_kill", figures)


if __name__ == "__main__":
    main()
