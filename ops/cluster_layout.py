"""Where the local cluster lives (``make cluster``): its ports on loopback, its folders under
``var/cluster/``, the environment of its app nodes and workers. Standard library only: the
scripts of ops/ import it before Django is set up."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from glob import glob
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
ROOT = BASE_DIR / "var" / "cluster"
RUN = ROOT / "run"  # pid files
LOG = ROOT / "log"
PG = ROOT / "pg"  # owned by the postgres user when run as root
SHARED = ROOT / "shared"  # the uploads every node sees (a shared mount in production)
STATE = ROOT / "state.json"
PYTHON = BASE_DIR / ".venv" / "bin" / "python"

PORT_BASE = int(os.environ.get("CLUSTER_PORT_BASE", "7150"))
HAPROXY_PORT = PORT_BASE + 30  # 7180: the portal
APP_PORTS = [PORT_BASE + 31, PORT_BASE + 32, PORT_BASE + 33]
PG_PORTS = {"primary": PORT_BASE + 4, "replica": PORT_BASE + 5}  # 7154, 7155
BOUNCER_PORTS = {"primary": PORT_BASE + 14, "replica": PORT_BASE + 15}  # 7164, 7165
REDIS_PORT = PORT_BASE + 29  # 7179
WORKERS = 2
APP_WORKERS = int(os.environ.get("CLUSTER_APP_WORKERS", "2"))  # gunicorn workers per node
DB_NAME = "espacefamille"
STANDBY_NAME = "replica1"
URL = f"http://127.0.0.1:{HAPROXY_PORT}/"


@dataclass(frozen=True)
class Secrets:
    db_password: str
    secret_key: str


def secrets_file() -> Secrets:
    """The cluster's database password and SECRET_KEY, made once (mode 0600)."""
    path = ROOT / "secrets.json"
    if not path.exists():
        ROOT.mkdir(parents=True, exist_ok=True)
        values = {"db_password": secrets.token_urlsafe(24), "secret_key": secrets.token_urlsafe(50)}
        path.write_text(json.dumps(values))
        path.chmod(0o600)
    return Secrets(**json.loads(path.read_text()))


def state() -> dict[str, str]:
    """Which data folder serves as the primary ("primary" until a failover promotes the
    replica's) and which as the replica ("" when none)."""
    if STATE.exists():
        return json.loads(STATE.read_text())
    return {"primary": "primary", "replica": "replica"}


def save_state(values: dict[str, str]) -> None:
    STATE.write_text(json.dumps(values))


def pg_bin(name: str) -> str:
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else (shutil.which(name) or name)


def as_postgres(command: list[str], **kwargs: object) -> subprocess.CompletedProcess:
    """PostgreSQL and pgbouncer refuse to run as root: as root, run them as ``postgres``."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=kwargs.pop("check", True), **kwargs)  # type: ignore[call-overload]


def database_url(port: int, *, name: str = DB_NAME) -> str:
    return f"postgres://postgres:{secrets_file().db_password}@127.0.0.1:{port}/{name}"


def app_env() -> dict[str, str]:
    """The production settings of every app node and worker, by environment variable."""
    keys = secrets_file()
    env = dict(os.environ)
    env.pop("ESPACEFAMILLE_TESTING", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=keys.secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=URL.rstrip("/"),
        # Plain HTTP on loopback: no HTTPS redirect, cookies without the Secure flag.
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        TRUSTED_PROXIES="127.0.0.1",
        DATABASE_URL=database_url(BOUNCER_PORTS["primary"]),
        DATABASE_REPLICA_URL=database_url(BOUNCER_PORTS["replica"]),
        DATABASE_POOLER="pgbouncer",
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        TASKS_BACKEND="espacefamille.core.rq_tasks.RetryingRQBackend",
        MEDIA_ROOT=str(SHARED / "media"),
        PRIVATE_MEDIA_ROOT=str(SHARED / "private"),
        DEMO_BANK="1",
        # No mail server by default (e-mails printed in the logs); a fault script points the
        # workers at its SMTP sink to count what they send (ops/faults/worker_kill.py).
        EMAIL_HOST=os.environ.get("CLUSTER_EMAIL_HOST", ""),
        EMAIL_PORT=os.environ.get("CLUSTER_EMAIL_PORT", "25"),
        LOG_LEVEL="WARNING",
    )
    return env


def pid_of(name: str) -> int | None:
    """The pid in ``run/<name>.pid`` when that process is alive."""
    path = RUN / f"{name}.pid"
    try:
        pid = int(path.read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return None if _dead_child(pid) else pid


def _dead_child(pid: int) -> bool:
    """A process this script started (a fault script restarts workers) that was killed stays a
    zombie until reaped: it is reaped here, and counts as dead."""
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == pid
