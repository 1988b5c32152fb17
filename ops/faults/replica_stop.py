"""Fault: the replica stops (``pg_ctl stop -m immediate``) during the validation rush, while
other families read their agenda week (a page that reads the replica). Expected: the agenda
pages fall back to the primary with no 5xx, the writes go on (the sync guard turns synchronous
commit off while no replica streams), 0 accepted validations lost, 0 overbooked,
``check_capacity`` clean. The replica is started again afterwards and catches up. Ends with
one line of JSON.

    .venv/bin/python ops/faults/replica_stop.py [--households 600] [--fault-after 1.5]
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
from pathlib import Path

OPS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(OPS), str(OPS / "faults")]

import cluster  # noqa: E402
import cluster_layout as L  # noqa: E402
import rush  # noqa: E402


def stop_replica() -> dict[str, object]:
    name = L.state()["replica"]
    L.as_postgres(
        [L.pg_bin("pg_ctl"), "stop", "-D", str(L.PG / name), "-m", "immediate"],
        stdout=subprocess.DEVNULL,
    )
    return {"replica_stopped": name}


def agenda_readers(cookies: list[str], stop: threading.Event, statuses: dict[int, int]) -> None:
    """Families reloading their agenda week (a replica read) until ``stop``."""
    index = 0
    while not stop.is_set():
        conn = http.client.HTTPConnection("127.0.0.1", L.HAPROXY_PORT, timeout=60)
        try:
            conn.request("GET", "/reservations/", headers={"Cookie": cookies[index % len(cookies)]})
            status = conn.getresponse().status
        except OSError:
            status = 0
        finally:
            conn.close()
        statuses[status] = statuses.get(status, 0) + 1
        index += 1
        time.sleep(0.05)


def main() -> None:
    args = rush.arguments(__doc__.split("\n\n")[0])
    bench = rush.setup(args.households)
    import common
    import http_load

    guardians = common.sample_guardians(bench, 20, __import__("random").Random(common.SEED))
    cookies = [http_load.signed_in(g.user)[1]["Cookie"] for g in guardians]
    statuses: dict[int, int] = {}
    stop = threading.Event()
    readers = [
        threading.Thread(target=agenda_readers, args=(cookies, stop, statuses), daemon=True)
        for _ in range(4)
    ]
    for reader in readers:
        reader.start()
    try:
        figures = rush.rush(
            bench,
            parents=args.parents,
            places=args.places,
            fault=stop_replica,
            fault_after=args.fault_after,
        )
        time.sleep(3)  # the readers go on a while without the replica
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=70)
    cluster.pg_start(L.state()["replica"])
    figures["agenda_reads"] = dict(sorted(statuses.items()))
    figures["agenda_5xx"] = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
    rush.emit("replica_stop", figures)


if __name__ == "__main__":
    main()
