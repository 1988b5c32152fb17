"""Fault: ``kill -9`` of the PostgreSQL primary during the validation rush, then the failover
an operator (or Patroni) would do: ``pg_ctl promote`` of the replica, both pgbouncers pointed
at it (configuration rewritten, ``RELOAD``: the app nodes keep their database address). The
time to serve again runs from the kill to the first signed-in page served through haproxy on a
session written to the new primary. Expected: every validation acknowledged (synchronous
commit to the replica) is on the new primary, nothing overbooked, ``check_capacity`` clean.
Afterwards the old primary's folder is rebuilt as the new replica (``pg_basebackup``). Ends
with one line of JSON.

    .venv/bin/python ops/faults/primary_failover.py [--households 600] [--fault-after 1.5]
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

OPS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(OPS), str(OPS / "faults")]

import cluster  # noqa: E402
import cluster_layout as L  # noqa: E402
import rush  # noqa: E402

SERVE_TIMEOUT = 120.0


def postmaster_pid(name: str) -> int:
    return int((L.PG / name / "postmaster.pid").read_text().split()[0])


def bouncer_admin(command: str) -> bool:
    """A command on the primary's pgbouncer console; False when it did not answer in time."""
    try:
        cluster.psql(L.BOUNCER_PORTS["primary"], command, db="pgbouncer", timeout=15)
    except (subprocess.SubprocessError, OSError):
        return False
    return True


def session_written(user: object) -> str:
    """A signed-in session written through pgbouncer to the (new) primary; "" while it fails."""
    import http_load
    from django.db import connections

    try:
        _key, headers = http_load.signed_in(user)
    except Exception:  # any database error: not yet
        connections.close_all()
        return ""
    return headers["Cookie"]


def page_served(cookie: str) -> bool:
    """A signed-in page served through haproxy (queued behind the rush's requests)."""
    conn = http.client.HTTPConnection("127.0.0.1", L.HAPROXY_PORT, timeout=30)
    try:
        conn.request("GET", "/reservations/", headers={"Cookie": cookie})
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def failover(user: object) -> dict[str, object]:
    current = L.state()
    old, new = current["primary"], current["replica"]
    killed = time.monotonic()
    os.kill(postmaster_pid(old), signal.SIGKILL)
    # The operator's (or Patroni's callback's) first move: pgbouncer holds the app nodes'
    # queries while the replica is promoted, rather than failing them (RESUME below).
    paused = bouncer_admin("PAUSE")
    L.as_postgres(
        [L.pg_bin("pg_ctl"), "promote", "-w", "-D", str(L.PG / new)], stdout=subprocess.DEVNULL
    )
    promoted = time.monotonic()
    L.save_state({"primary": new, "replica": ""})
    cluster.bouncer_start("primary")  # rewritten and reloaded: now the promoted node
    cluster.bouncer_start("replica")  # no replica: reads go to the primary too
    if paused:
        bouncer_admin("RESUME")
    switched = time.monotonic()
    cookie = session_written(user)
    while not cookie and time.monotonic() - killed < SERVE_TIMEOUT:
        time.sleep(0.1)
        cookie = session_written(user)
    writable = time.monotonic()
    while not page_served(cookie) and time.monotonic() - killed < SERVE_TIMEOUT:
        time.sleep(0.1)
    served = time.monotonic()
    return {
        "old_primary": old,
        "new_primary": new,
        "pgbouncer_paused": paused,
        "promote_s": round(promoted - killed, 2),
        "pgbouncer_switched_s": round(switched - killed, 2),
        "database_writable_s": round(writable - killed, 2),
        "time_to_serve_again_s": round(served - killed, 2),
    }


def rebuild_replica() -> None:
    """The old primary's folder becomes the new replica, copied from the new primary."""
    current = L.state()
    old = "primary" if current["primary"] == "replica" else "replica"
    shutil.rmtree(L.PG / old)
    L.save_state({"primary": current["primary"], "replica": old})
    cluster.init_replica()
    cluster.pg_start(old)
    cluster.bouncer_start("replica")


def main() -> None:
    args = rush.arguments(__doc__.split("\n\n")[0])
    bench = rush.setup(args.households)
    import common

    user = common.sample_guardians(bench, 1, __import__("random").Random(1))[0].user
    figures = rush.rush(
        bench,
        parents=args.parents,
        places=args.places,
        fault=lambda: failover(user),
        fault_after=args.fault_after,
    )
    rebuild_replica()
    rush.emit("primary_failover", figures)


if __name__ == "__main__":
    main()
