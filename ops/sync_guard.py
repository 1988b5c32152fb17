"""The local cluster's synchronous-replication guard (what Patroni's non-strict synchronous mode
does): every commit waits for the replica while it streams; when no replica streams, commits
would wait forever, so the guard clears ``synchronous_standby_names`` (asynchronous, logged)
and sets it back once the replica streams again. It follows ``var/cluster/state.json`` for
which node is the primary (ops/faults/primary_failover.py changes it)."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster_layout as L

INTERVAL = 0.5


def log(text: str) -> None:
    print(f"{datetime.now(UTC):%H:%M:%S} sync-guard: {text}", flush=True)


def check_once() -> None:
    current = L.state()
    port = L.PG_PORTS[current["primary"]]
    with psycopg.connect(
        host="127.0.0.1",
        port=port,
        user="postgres",
        password=L.secrets_file().db_password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=2,
    ) as conn:
        if conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:  # type: ignore[index]
            return
        streaming = conn.execute(
            "SELECT count(*) FROM pg_stat_replication "
            "WHERE application_name = %s AND state = 'streaming'",
            (L.STANDBY_NAME,),
        ).fetchone()[0]  # type: ignore[index]
        wanted = L.STANDBY_NAME if streaming and current.get("replica") else ""
        setting = conn.execute("SHOW synchronous_standby_names").fetchone()[0]  # type: ignore[index]
        if setting != wanted:
            conn.execute(f"ALTER SYSTEM SET synchronous_standby_names = '{wanted}'")
            conn.execute("SELECT pg_reload_conf()")
            log(f"synchronous_standby_names = '{wanted}' (replica streaming: {bool(streaming)})")


def main() -> None:
    log("started")
    while True:
        try:
            check_once()
        except psycopg.Error as error:
            log(f"primary unreachable: {type(error).__name__}")
        time.sleep(INTERVAL)


if __name__ == "__main__":
    main()
