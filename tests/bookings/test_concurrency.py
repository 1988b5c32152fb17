"""50 parents validate their carts at the same moment for the last 10 places of a day.

A real server (gunicorn, two processes of eight threads) runs against a real file database —
SQLite in a temporary file, and PostgreSQL in a dedicated database when the suite itself runs on
PostgreSQL — because a live server on in-memory SQLite shares one connection between its threads
and cannot show a race (DESIGN §6). Each of 20 rounds opens a fresh day with exactly 10 places
left; 50 signed-in clients are released together by a barrier and POST "Valider". Never more
than 10 bookings, no 5xx, and every refused family reads the "Complet" reason.

The database is prepared by ``concurrency_worker.py`` in its own process (the test process is
tied to pytest's test database), which also opens the parents' sessions. Run these tests alone
with ``pytest -m concurrency -s`` (``-s`` prints the timing of each round).
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import queue
import secrets
import socket
import string
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings

pytestmark = pytest.mark.concurrency

BASE_DIR = Path(__file__).resolve().parents[2]
CLIENTS = 50
PLACES = 10
ROUNDS = 20
HTTP_TIMEOUT = 60  # seconds, for any single request
ROUND_TIMEOUT = 120  # seconds, for the 50 requests of a round
VALIDATE_URL = "/reservations/panier/valider/"
FULL_REASON = "Complet"


# --- The two processes beside the test: the database worker and the server -----------------


class Worker:
    """``concurrency_worker`` in a subprocess: one JSON command in, one JSON answer out."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.bookings.concurrency_worker"],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        self._answers: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._answers.put(line)

    def call(self, cmd: str, timeout: float = 120, **args: Any) -> Any:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            try:
                answer = json.loads(self._answers.get(timeout=1))
                break
            except queue.Empty:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"worker gave no answer to {cmd!r}:\n{self.log_tail()}")
        if "error" in answer:
            pytest.fail(f"worker failed on {cmd!r}:\n{answer['error']}")
        return answer["ok"]

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    stderr_path: Path

    def stderr_tail(self, chars: int = 8000) -> str:
        return self.stderr_path.read_text(errors="replace")[-chars:]


@contextmanager
def live_server(env: dict[str, str], logs: Path) -> Iterator[Server]:
    port = free_port()
    if importlib.util.find_spec("gunicorn") is not None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=8",
            "--timeout=60",
            "--graceful-timeout=5",
            "--log-level=warning",
        ]
    else:  # pragma: no cover - gunicorn is a dependency; runserver is the fallback
        command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    stdout_path, stderr_path = logs / "server.out", logs / "server.err"
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=err)
    server = Server(port, process, stderr_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server stopped at start-up:\n{server.stderr_tail()}")
            try:
                if request(port, "GET", "/connexion/", timeout=5).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within 60 s:\n{server.stderr_tail()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- A minimal HTTP client with cookies -------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


@dataclass
class Browser:
    """One parent's cookies (session and CSRF)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def form(self, **fields: str) -> tuple[str, dict[str, str]]:
        body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields})
        return body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": self.header(),
        }


def request(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = HTTP_TIMEOUT,
    conn: http.client.HTTPConnection | None = None,
) -> Response:
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Response(response.status, response.headers, response.read().decode())
    finally:
        conn.close()


def signed_in(session_key: str) -> Browser:
    """A parent's browser holding a session opened beforehand and a CSRF cookie."""
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return Browser({"sessionid": session_key, "csrftoken": token})


@dataclass
class Outcome:
    email: str
    status: int = 0
    location: str = ""
    body: str = ""
    error: str = ""


def validate_together(port: int, browsers: dict[str, Browser]) -> list[Outcome]:
    """Every client connects, waits at the barrier, then POSTs "Valider" at the same moment."""
    barrier = threading.Barrier(len(browsers), timeout=30)
    outcomes = [Outcome(email) for email in browsers]

    def client(outcome: Outcome, browser: Browser) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
        try:
            body, headers = browser.form()
            conn.connect()
            barrier.wait()
            response = request(port, "POST", VALIDATE_URL, body, headers, conn=conn)
            outcome.status = response.status
            outcome.location = response.headers.get("Location", "")
            outcome.body = response.body
        except Exception as exc:  # reported by the assertions below
            outcome.error = f"{type(exc).__name__}: {exc}"
            barrier.abort()
        finally:
            conn.close()

    threads = [
        threading.Thread(target=client, args=(outcome, browsers[outcome.email]), daemon=True)
        for outcome in outcomes
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + ROUND_TIMEOUT
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    for thread, outcome in zip(threads, outcomes, strict=True):
        if thread.is_alive() and not outcome.error:
            outcome.error = f"no answer within {ROUND_TIMEOUT} s"
    return outcomes


# --- The scenario -----------------------------------------------------------------------------


def server_env(database_url: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        ESPACEFAMILLE_TESTING="1",
        SECRET_KEY="concurrency-test-secret-key-not-for-production-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        AXES_ENABLED="0",
        EMAIL_HOST="",
        MEDIA_ROOT=str(tmp / "media"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_scenario(database_url: str, tmp: Path) -> None:
    env = server_env(database_url, tmp)
    begun = time.monotonic()
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr[-4000:]
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
                    f"{count['new']} booked, {sum(o.status == 200 for o in outcomes)} refused "
                    f"in {elapsed:.2f} s"
                )
                check_round(n, day, outcomes, count, server)
    finally:
        worker.close()


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
    statuses = sorted({o.status for o in outcomes if not o.error} - {200, 302})
    if statuses:
        problems.append(f"unexpected statuses {statuses} (5xx: see the server's stderr below)")
    accepted = sorted(o.email for o in outcomes if o.status == 302)
    if accepted != count["booked"]:
        problems.append(f"{len(accepted)} answers 302 but {len(count['booked'])} families booked")
    if any(urlsplit(o.location).path != "/reservations/" for o in outcomes if o.status == 302):
        problems.append("a 302 does not lead back to the week view")
    without_reason = [o.email for o in outcomes if o.status == 200 and FULL_REASON not in o.body]
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


def on_postgresql() -> bool:
    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" in engine or os.environ.get("DATABASE_URL", "").startswith("postgres")


def test_last_places_sqlite(tmp_path: Path) -> None:
    run_scenario(f"sqlite:///{tmp_path / 'concurrency.sqlite3'}", tmp_path)


@pytest.mark.skipif(not on_postgresql(), reason="the suite runs on SQLite")
def test_last_places_postgresql(tmp_path: Path) -> None:
    import psycopg

    db = settings.DATABASES["default"]
    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }
    name = "espacefamille_concurrency" + (
        f"_{os.environ['PYTEST_XDIST_WORKER']}" if "PYTEST_XDIST_WORKER" in os.environ else ""
    )

    def admin(sql: str) -> None:
        with psycopg.connect(
            dbname="postgres", autocommit=True, connect_timeout=10, **params
        ) as conn:
            conn.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    try:
        password = f":{quote(params['password'], safe='')}" if params["password"] else ""
        url = f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"
        run_scenario(url, tmp_path)
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
