"""Both households of a shared child click "Valider" for the same child's same day at the
same moment: the day is booked once, by one of them; the other reads "Réservé par l'autre
foyer", and the capacity ledger stays exact (a live gunicorn server on a file database, as
``test_concurrency.py``; PostgreSQL in its own database when the suite runs on it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .live import (
    ACCEPTED,
    REFUSED,
    Worker,
    assert_ledger_exact,
    live_server,
    migrate,
    on_postgresql,
    postgresql_database,
    server_env,
    signed_in,
    validate_together,
)

pytestmark = pytest.mark.concurrency

ROUNDS = 8
REASON = "autre foyer"


def run_scenario(database_url: str, tmp: Path) -> None:
    env = server_env(database_url, tmp)
    migrate(env)
    worker = Worker(env, tmp / "worker.err", module="tests.bookings.shared_child_worker")
    try:
        info = worker.call("setup", rounds=ROUNDS)
        browsers = {email: signed_in(key) for email, key in info["sessions"].items()}
        with live_server(env, tmp) as server:
            for n in range(ROUNDS):
                day = worker.call("round", n=n)
                outcomes = validate_together(server.port, browsers)
                count = worker.call("count", n=n)
                problems = [o.error for o in outcomes if o.error]
                if len(count["booked"]) != 1:
                    problems.append(f"{len(count['booked'])} bookings of the shared day")
                statuses = sorted(o.status for o in outcomes)
                if statuses != sorted([ACCEPTED, REFUSED]):
                    problems.append(f"statuses {statuses}, not one accepted and one refused")
                refused = [o for o in outcomes if o.status == REFUSED]
                if refused and REASON not in refused[0].body:
                    problems.append(f"the refusal does not say '{REASON}'")
                if problems:
                    pytest.fail(
                        f"round {n + 1}, {day}: " + "; ".join(problems) + "\n"
                        f"server stderr (tail):\n{server.stderr_tail()}"
                    )
    finally:
        worker.close()
    assert_ledger_exact(env)


@pytest.mark.skipif(on_postgresql(), reason="run in the SQLite pass of the suite (CI time)")
def test_both_households_book_the_same_day_once_sqlite(tmp_path: Path) -> None:
    run_scenario(f"sqlite:///{tmp_path / 'shared.sqlite3'}", tmp_path)


@pytest.mark.skipif(not on_postgresql(), reason="the suite runs on SQLite")
def test_both_households_book_the_same_day_once_postgresql(tmp_path: Path) -> None:
    with postgresql_database("ef_separated_concurrency") as url:
        run_scenario(url, tmp_path)
