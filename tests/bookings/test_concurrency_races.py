"""Every writer of a product-day races the families' validations and keeps the capacity
ledger exact, against a live server (gunicorn) on a real database, SQLite and PostgreSQL:

- **agents and the waiting list**: a day is full; four of its bookings await an agent's
  decision on their cancellation and three children wait in line. At one wall-clock moment,
  four agents accept the cancellations (in the database worker's threads: each freed place
  goes to the first child in line, in the same transaction) while 37 families POST "Valider"
  for that day. Never more bookings than places, the three waiting children promoted, every
  refused family reading "Complet", no 5xx;
- **carts of several days and products**: 40 families validate carts of 3–5 product-days drawn
  among 4 days × 2 products (REPAS, GARDERIE AVANT REPAS), each product-day with its own
  capacity of 6 (a per-day capacity on its ledger row). Never a product-day over its capacity,
  each cart applied entirely or not at all, a refused cart always meets a full day, no
  deadlock, no 5xx.

After each scenario ``manage.py check_capacity`` must find the ledger equal to the rows.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from .live import (
    ACCEPTED,
    REFUSED,
    Outcome,
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

CLIENTS = 40
AGENT_ROUNDS = 6
CART_ROUNDS = 6
CART_DAYS = 4
RELEASE_DELAY = 1.5  # seconds between the round's set-up and the moment everyone goes


def _errors(outcomes: list[Outcome]) -> list[str]:
    problems = [o.error for o in outcomes if o.error]
    statuses = sorted({o.status for o in outcomes if not o.error} - {ACCEPTED, REFUSED})
    if statuses:
        problems.append(f"unexpected statuses {statuses}")
    return problems


def agents_round(n: int, worker: Worker, port: int, browsers: dict[str, Any]) -> list[str]:
    day = worker.call("agents_round", n=n)
    validators = {email: browsers[email] for email in day["validators"]}
    release_at = time.time() + RELEASE_DELAY
    worker.call("agents_start", release_at=release_at)
    outcomes = validate_together(port, validators, release_at=release_at)
    agents = worker.call("agents_join")
    count = worker.call("agents_count", n=n)
    accepted = agents["outcomes"].count("accepted")
    print(
        f"agents round {n + 1}: {day['day']} {accepted} cancellations accepted, "
        f"{count['promoted']} promoted, {len(count['validators_booked'])} families booked, "
        f"{count['active']} active"
    )
    problems = _errors(outcomes)
    problems += [o for o in agents["outcomes"] if o.startswith("ERROR")]
    if agents["alive"]:
        problems.append(f"{agents['alive']} agents did not finish")
    if count["active"] > 10:
        problems.append(f"OVERBOOKED: {count['active']} active bookings for 10 places")
    if count["promoted"] != min(accepted, 3) or count["waiting_booked"] != count["promoted"]:
        problems.append(f"{count['promoted']} promoted for {accepted} places freed")
    booked = sorted(o.email for o in outcomes if o.status == ACCEPTED)
    if booked != count["validators_booked"]:
        problems.append(f"{len(booked)} accepted answers, {len(count['validators_booked'])} booked")
    if 10 - accepted + count["promoted"] + len(booked) != count["active"]:
        problems.append("places lost or counted twice")
    if any(o.status == REFUSED and "Complet" not in o.body for o in outcomes):
        problems.append("a refused family does not read 'Complet'")
    return problems


def carts_round(n: int, worker: Worker, port: int, browsers: dict[str, Any]) -> list[str]:
    worker.call("carts_round", n=n, seed=1000 + n)
    outcomes = validate_together(port, browsers)
    count = worker.call("carts_count", n=n)
    capacity = count["capacity"]
    problems = _errors(outcomes)
    over = {key: taken for key, taken in count["per_key"].items() if taken > capacity}
    if over:
        problems.append(f"OVERBOOKED product-days: {over}")
    full = {key for key, taken in count["per_key"].items() if taken >= capacity}
    for outcome in outcomes:
        cart = {tuple(line) for line in count["carts"][outcome.email]}
        booked = {tuple(line) for line in count["booked"].get(outcome.email, [])}
        if outcome.status == ACCEPTED and booked != cart:
            problems.append(f"{outcome.email}: accepted but {len(booked)}/{len(cart)} booked")
        if outcome.status == REFUSED:
            if booked:
                problems.append(f"{outcome.email}: refused but {len(booked)} lines booked")
            if not any(f"{product}|{day}" in full for product, day in cart):
                problems.append(f"{outcome.email}: refused while every day had a place")
    print(
        f"carts round {n + 1}: {sum(o.status == ACCEPTED for o in outcomes)} carts accepted, "
        f"{sum(o.status == REFUSED for o in outcomes)} refused, "
        f"{sum(count['per_key'].values())} bookings on {len(count['per_key'])} product-days"
    )
    return problems


def run_races(database_url: str, tmp: Path) -> None:
    env = server_env(database_url, tmp)
    migrate(env)
    worker = Worker(env, tmp / "races.err", module="tests.bookings.races_worker")
    try:
        info = worker.call(
            "setup", clients=CLIENTS, days=AGENT_ROUNDS + CART_ROUNDS * CART_DAYS, timeout=300
        )
        browsers = {email: signed_in(key) for email, key in info["sessions"].items()}
        with live_server(env, tmp) as server:
            for n in range(AGENT_ROUNDS):
                problems = agents_round(n, worker, server.port, browsers)
                if problems:
                    pytest.fail(
                        f"agents round {n + 1}:\n- "
                        + "\n- ".join(problems)
                        + f"\n{server.stderr_tail()}\n{worker.log_tail()}"
                    )
            for n in range(CART_ROUNDS):
                problems = carts_round(n, worker, server.port, browsers)
                if problems:
                    pytest.fail(
                        f"carts round {n + 1}:\n- "
                        + "\n- ".join(problems[:20])
                        + f"\n{server.stderr_tail()}"
                    )
    finally:
        worker.close()
    assert_ledger_exact(env)


@pytest.mark.skipif(on_postgresql(), reason="run in the SQLite pass of the suite (CI time)")
def test_races_sqlite(tmp_path: Path) -> None:
    run_races(f"sqlite:///{tmp_path / 'races.sqlite3'}", tmp_path)


@pytest.mark.skipif(not on_postgresql(), reason="the suite runs on SQLite")
def test_races_postgresql(tmp_path: Path) -> None:
    with postgresql_database("espacefamille_races") as url:
        run_races(url, tmp_path)
