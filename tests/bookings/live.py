"""The live-server side of the concurrency tests: a database worker in its own process, a
gunicorn server on a real file database (SQLite) or a dedicated PostgreSQL database, and a
minimal HTTP client whose requests leave together (docs/architecture.md#tests-races-and-measures: a
live server on in-memory SQLite shares one connection between its threads and cannot show a
race)."""

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
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
HTTP_TIMEOUT = 60  # seconds, for any single request
ROUND_TIMEOUT = 120  # seconds, for the requests of a round
VALIDATE_URL = "/reservations/panier/valider/"
ACCEPTED, REFUSED = 302, 303  # "Valider": back to the week view; refused lines kept


# --- The two processes beside the test: the database worker and the server -----------------


class Worker:
    """A worker module in a subprocess: one JSON command in, one JSON answer out."""

    def __init__(
        self, env: dict[str, str], log: Path, module: str = "tests.bookings.concurrency_worker"
    ) -> None:
        self.log_path = log
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", module],
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


def validate_together(
    port: int, browsers: dict[str, Browser], release_at: float | None = None
) -> list[Outcome]:
    """Every client connects, waits at the barrier, then POSTs "Valider" at the same moment
    (at the wall-clock time ``release_at`` when given, so that another process — agents
    deciding in the database worker — is released at the same moment)."""
    barrier = threading.Barrier(len(browsers), timeout=30)
    outcomes = [Outcome(email) for email in browsers]

    def client(outcome: Outcome, browser: Browser) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
        try:
            body, headers = browser.form()
            conn.connect()
            barrier.wait()
            if release_at is not None:
                time.sleep(max(0.0, release_at - time.time()))
            response = request(port, "POST", VALIDATE_URL, body, headers, conn=conn)
            outcome.status = response.status
            outcome.location = response.headers.get("Location", "")
            outcome.body = response.body
            if response.status == 303:  # refused: the week view lists each line's reason
                page = request(port, "GET", outcome.location, headers={"Cookie": browser.header()})
                outcome.body = page.body
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


def on_postgresql() -> bool:
    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" in engine or os.environ.get("DATABASE_URL", "").startswith("postgres")


@contextmanager
def postgresql_database(name: str) -> Iterator[str]:
    """A fresh PostgreSQL database on the suite's server, dropped afterwards; yields its URL."""
    import psycopg

    db = settings.DATABASES["default"]
    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }
    if "PYTEST_XDIST_WORKER" in os.environ:
        name += f"_{os.environ['PYTEST_XDIST_WORKER']}"

    def admin(sql: str) -> None:
        with psycopg.connect(
            dbname="postgres", autocommit=True, connect_timeout=10, **params
        ) as conn:
            conn.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    try:
        password = f":{quote(params['password'], safe='')}" if params["password"] else ""
        yield f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]


def assert_ledger_exact(env: dict[str, str]) -> None:
    """``manage.py check_capacity`` on the live server's database: the ledger equals the rows."""
    checked = subprocess.run(
        [sys.executable, "manage.py", "check_capacity"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
