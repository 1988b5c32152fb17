"""50 parents validate their carts at the same moment for the last 10 places of a day.

A real server (gunicorn, two processes of eight threads) runs against a real file database —
SQLite in a temporary file, and PostgreSQL in a dedicated database when the suite itself runs on
PostgreSQL — because a live server on in-memory SQLite shares one connection between its threads
and cannot show a race (docs/architecture.md#tests-races-and-measures). Each of 20 rounds opens a
fresh day with exactly 10 places left; 50 signed-in clients are released together by a barrier and
POST "Valider". Never more than 10 bookings, no 5xx, every refused family reads the "Complet"
reason, and afterwards ``check_capacity`` finds the capacity ledger equal to the bookings.

The database is prepared by ``concurrency_worker.py`` in its own process (the test process is
tied to pytest's test database), which also opens the parents' sessions. Run these tests alone
with ``pytest -m concurrency -s`` (``-s`` prints the timing of each round).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .live import (
    ACCEPTED,
    REFUSED,
    Outcome,
    Server,
    Worker,
    assert_ledger_exact,
    live_server,
    migrate,
    on_postgresql,
    postgresql_database,
    request,
    server_env,
    signed_in,
    validate_together,
)

pytestmark = pytest.mark.concurrency

CLIENTS = 50
PLACES = 10
ROUNDS = 20
FULL_REASON = "Complet"


def run_scenario(database_url: str, tmp: Path) -> None:
    env = server_env(database_url, tmp)
    begun = time.monotonic()
    migrate(env)
    print(f"\n{database_url.split(':')[0]}: migrated in {time.monotonic() - begun:.1f} s")
    worker = Worker(env, tmp / "worker.err")
    try:
        info = worker.call("setup", clients=CLIENTS, places=PLACES, rounds=ROUNDS)
        print(f"set up after {time.monotonic() - begun:.1f} s")
        browsers = {email: signed_in(key) for email, key in info["sessions"].items()}
        with live_server(env, tmp) as server:
            for email, browser in browsers.items():
                home = request(server.port, "GET", "/", headers={"Cookie": browser.header()})
                assert home.status == 200, f"{email} is not signed in: {home.status}"
            print(f"server up after {time.monotonic() - begun:.1f} s")
            for n in range(ROUNDS):
                day = worker.call("round", n=n)
                started = time.monotonic()
                outcomes = validate_together(server.port, browsers)
                elapsed = time.monotonic() - started
                count = worker.call("count", n=n)
                print(  # shown with pytest -s
                    f"round {n + 1:2d}: {day['day']} capacity {day['capacity']:2d}, "
                    f"{count['new']} booked, {sum(o.status == REFUSED for o in outcomes)} refused "
                    f"in {elapsed:.2f} s"
                )
                check_round(n, day, outcomes, count, server)
    finally:
        worker.close()
    assert_ledger_exact(env)


def check_round(
    n: int, day: dict[str, Any], outcomes: list[Outcome], count: dict[str, Any], server: Server
) -> None:
    """Every broken promise of the round, reported together (overbooking first)."""
    problems = []
    if count["new"] > PLACES:
        problems.append(f"OVERBOOKED: {count['new']} bookings for the last {PLACES} places")
    elif count["new"] < PLACES:
        problems.append(f"only {count['new']} of the last {PLACES} places were booked")
    silent = [o for o in outcomes if o.error]
    if silent:
        problems.append(f"{len(silent)} clients got no answer, e.g. {silent[0].error}")
    statuses = sorted({o.status for o in outcomes if not o.error} - {ACCEPTED, REFUSED})
    if statuses:
        problems.append(f"unexpected statuses {statuses} (5xx: see the server's stderr below)")
    accepted = sorted(o.email for o in outcomes if o.status == ACCEPTED)
    if accepted != count["booked"]:
        problems.append(f"{len(accepted)} accepted but {len(count['booked'])} families booked")
    if any(urlsplit(o.location).path != "/reservations/" for o in outcomes if o.status):
        problems.append("an answer does not lead back to the week view")
    without_reason = [
        o.email for o in outcomes if o.status == REFUSED and FULL_REASON not in o.body
    ]
    if without_reason:
        problems.append(f"{len(without_reason)} refusals without the reason '{FULL_REASON}'")
    if count["cart_lines_left"] != CLIENTS - count["new"]:
        problems.append(f"{count['cart_lines_left']} cart lines left (refused carts are kept)")
    if problems:
        pytest.fail(
            f"round {n + 1}/{ROUNDS}, day {day['day']} ({day['taken_before']} places taken, "
            f"capacity {day['capacity']}):\n- "
            + "\n- ".join(problems)
            + f"\nserver stderr (tail):\n{server.stderr_tail()}"
        )


@pytest.mark.skipif(on_postgresql(), reason="run in the SQLite pass of the suite (CI time)")
def test_last_places_sqlite(tmp_path: Path) -> None:
    run_scenario(f"sqlite:///{tmp_path / 'concurrency.sqlite3'}", tmp_path)


@pytest.mark.skipif(not on_postgresql(), reason="the suite runs on SQLite")
def test_last_places_postgresql(tmp_path: Path) -> None:
    with postgresql_database("espacefamille_concurrency") as url:
        run_scenario(url, tmp_path)
