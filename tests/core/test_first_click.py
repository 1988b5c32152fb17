"""A fresh worker's first validation imports nothing new (issue 17, item 2): what every
request may need — the URLconf and views, the template libraries, the French catalogues, the
public and school holidays of the years in use — is loaded when the worker starts
(``config.warmup``), not on a parent's click. Without the warm-up the first validation
imported the ``holidays`` library's 302 modules (0.5 s, seconds on a loaded machine).

The town, the parent and the cart are made by the concurrency tests' database worker in
another process; the fresh worker (``fresh_worker.py``) only imports ``config.wsgi`` and
validates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bookings.live import (
    BASE_DIR,
    Worker,
    migrate,
    on_postgresql,
    postgresql_database,
    server_env,
)


def first_click(database_url: str, tmp: Path) -> dict[str, object]:
    env = server_env(database_url, tmp)
    migrate(env)
    worker = Worker(env, tmp / "worker.log")
    try:
        sessions = worker.call("setup", clients=1, places=5, rounds=1)["sessions"]
        worker.call("round", n=0)
    finally:
        worker.close()
    (session_key,) = sessions.values()
    # A production worker queues its e-mails in the database (no immediate task backend).
    env["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.fresh_worker", session_key],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def check(answer: dict[str, object]) -> None:
    assert answer["status"] == "302 Found", answer  # accepted: back to the week view
    assert answer["new_modules"] == [], answer["new_modules"]


@pytest.mark.skipif(on_postgresql(), reason="run in the SQLite pass of the suite")
def test_first_validation_imports_nothing_sqlite(tmp_path: Path) -> None:
    check(first_click(f"sqlite:///{tmp_path / 'first-click.sqlite3'}", tmp_path))


@pytest.mark.skipif(not on_postgresql(), reason="the suite runs on SQLite")
def test_first_validation_imports_nothing_postgresql(tmp_path: Path) -> None:
    with postgresql_database("espacefamille_first_click") as url:
        check(first_click(url, tmp_path))
