"""HTTP plumbing shared by the benchmarks that load a real server: a production gunicorn on the
bench database (``start_server``/``stop_server``), one request on a fresh connection
(``call``), and signed-in sessions written straight into the session store — a family's as
the sign-in view leaves it, an agent's also past the second factor (``otp_device_id``, as
``tests/backoffice/helpers.sign_in_client`` does) — with their cookies and CSRF token."""

from __future__ import annotations

import http.client
import secrets
import socket
import string
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import common

HTTP_TIMEOUT = 120.0
FORM = "application/x-www-form-urlencoded"


@dataclass
class Outcome:
    status: int = 0
    seconds: float = 0.0
    started: float = 0.0
    ended: float = 0.0
    body: str = ""
    error: str = ""
    location: str = ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(port: int, method: str, path: str, headers: dict[str, str], body: str = "") -> Outcome:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    try:
        started = time.perf_counter()
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        ended = time.perf_counter()
        return Outcome(
            response.status,
            ended - started,
            started,
            ended,
            text,
            location=response.getheader("Location") or "",
        )
    finally:
        conn.close()


def log_path(vendor: str, name: str = "gunicorn") -> Any:
    return common.BASE_DIR / "var" / "bench" / f"{name}-{vendor}.log"


def start_server(
    url: str,
    vendor: str,
    *,
    workers: int,
    threads: int = 1,
    conn_max_age: int | None = None,
    log_name: str = "gunicorn",
) -> tuple[subprocess.Popen, int]:
    """A production gunicorn (``DEBUG=0``, bench settings) on a free port, once it answers."""
    port = free_port()
    path = log_path(vendor, log_name)
    env = common.server_env(url)
    if conn_max_age is not None:
        env["BENCH_CONN_MAX_AGE"] = str(conn_max_age)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--backlog=2048",
        "--timeout=60",
        "--graceful-timeout=5",
        "--log-level=warning",
    ]
    with path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=common.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{path.read_text(errors='replace')[-4000:]}")
        try:
            if call(port, "GET", "/connexion/", {}).status == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def csrf_token() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def signed_in(user: Any, *, second_factor: str = "", **extra: Any) -> tuple[str, dict[str, str]]:
    """A session for ``user`` in the session store: (its key, request headers with the session
    and CSRF cookies, the token under ``X-Token`` for the caller to post)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if second_factor:
        session["otp_device_id"] = second_factor
    for key, value in extra.items():
        session[key] = value
    session.create()
    token = csrf_token()
    assert session.session_key is not None
    return session.session_key, {
        "Cookie": f"sessionid={session.session_key}; csrftoken={token}",
        "Content-Type": FORM,
        "X-Token": token,
    }
