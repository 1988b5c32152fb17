"""A multi-node Espace Famille on one machine, from standard Debian parts (``make cluster``,
``make cluster-down``, ``make cluster-status``): a PostgreSQL primary and a streaming replica
(``pg_basebackup -R``, synchronous commit), pgbouncer in transaction mode in front of each, a
Redis of its own, three gunicorn app nodes, two task workers (RQ) and haproxy in front of the
app nodes with health checks, all on loopback ports (ops/cluster_layout.py), all data under
``var/cluster/``. ``up`` is idempotent: what runs is left alone, what stopped starts again on
the data it kept.

    python ops/cluster.py up|down|status
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster_layout as L
from cluster_packages import ensure_packages, program

# The published demo family (README, espacefamille/demo/loading.py).
DEMO_LOGIN = ("francois.dupont@example.org", "Demo-Famille-2026!")


def say(text: str) -> None:
    print(f"[cluster] {text}", flush=True)


def tool(name: str) -> str:
    """A program of the cluster's Debian packages (checked by ``ensure_packages``)."""
    return program(name) or name


def prepare_folders() -> None:
    for folder in (L.RUN, L.LOG, L.PG, L.SHARED / "media", L.SHARED / "private", L.ROOT / "redis"):
        folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(L.PG, "postgres", "postgres")
        for folder in (L.RUN, L.LOG):
            folder.chmod(0o1777)


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_settings(name: str, role: str) -> str:
    port = L.PG_PORTS[name]
    return "\n".join(
        [
            "listen_addresses = '127.0.0.1'",
            f"port = {port}",
            f"unix_socket_directories = '{L.PG}'",
            "max_connections = 120",
            "shared_buffers = 64MB",
            "wal_level = replica",
            "max_wal_senders = 5",
            "wal_keep_size = 256MB",
            "hot_standby = on",
            "hot_standby_feedback = on",
            f"cluster_name = '{L.STANDBY_NAME if role == 'replica' else 'primary1'}'",
            "synchronous_commit = on",
            "",
        ]
    )


def pg_running(name: str) -> bool:
    folder = L.PG / name
    if not (folder / "PG_VERSION").exists():
        return False
    done = L.as_postgres(
        [L.pg_bin("pg_ctl"), "status", "-D", str(folder)], check=False, capture_output=True
    )
    return done.returncode == 0


def pg_start(name: str) -> None:
    if pg_running(name):
        return
    folder = L.PG / name
    L.as_postgres(
        [
            L.pg_bin("pg_ctl"),
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(folder),
            "-l",
            str(L.LOG / f"pg-{name}.log"),
        ],
        stdout=subprocess.DEVNULL,
    )


def psql(port: int, sql: str, *, db: str = "postgres", timeout: float | None = None) -> str:
    env = dict(os.environ, PGPASSWORD=L.secrets_file().db_password)
    done = subprocess.run(
        [
            tool("psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            db,
            "-Atqc",
            sql,
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    return done.stdout.strip()


def init_primary() -> None:
    folder = L.PG / "primary"
    if (folder / "PG_VERSION").exists():
        return
    say("initialisation du primaire PostgreSQL")
    password_file = L.PG / "pwfile"
    password_file.write_text(L.secrets_file().db_password + "\n")
    if os.geteuid() == 0:
        shutil.chown(password_file, "postgres", "postgres")
    L.as_postgres(
        [
            L.pg_bin("initdb"),
            "-D",
            str(folder),
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            f"--pwfile={password_file}",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        stdout=subprocess.DEVNULL,
    )
    password_file.unlink()
    hba = folder / "pg_hba.conf"
    hba.write_text(hba.read_text() + "host replication postgres 127.0.0.1/32 scram-sha-256\n")
    conf = folder / "postgresql.conf"
    conf.write_text(conf.read_text() + "\n# make cluster\n" + pg_settings("primary", "primary"))
    pg_start("primary")
    psql(L.PG_PORTS["primary"], f"CREATE DATABASE {L.DB_NAME}")
    # Synchronous commit to the replica; the sync guard (ops/sync_guard.py) turns it off while
    # no replica streams, so that a stopped replica does not stop the writes.
    psql(L.PG_PORTS["primary"], f"ALTER SYSTEM SET synchronous_standby_names = '{L.STANDBY_NAME}'")
    psql(L.PG_PORTS["primary"], "SELECT pg_reload_conf()")


def init_replica() -> None:
    current = L.state()
    name = current["replica"]
    if not name or (L.PG / name / "PG_VERSION").exists():
        return
    say("copie du primaire vers la réplique (pg_basebackup -R)")
    folder = L.PG / name
    conninfo = (
        f"host=127.0.0.1 port={L.PG_PORTS[current['primary']]} user=postgres "
        f"password={L.secrets_file().db_password}"
    )
    L.as_postgres(
        [
            L.pg_bin("pg_basebackup"),
            "-d",
            conninfo,
            "-D",
            str(folder),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ]
    )
    conf = folder / "postgresql.conf"
    text = re.sub(r"\n# make cluster\n.*", "", conf.read_text(), flags=re.S)
    conf.write_text(text + "\n# make cluster\n" + pg_settings(name, "replica"))
    auto = folder / "postgresql.auto.conf"
    auto.write_text(re.sub(r"(?m)^synchronous_standby_names.*\n", "", auto.read_text()))


# --- pgbouncer, Redis, sync guard ---------------------------------------------------------


def bouncer_config(name: str, target_port: int) -> Path:
    folder = L.ROOT / "pgbouncer"
    folder.mkdir(exist_ok=True)
    users = folder / "userlist.txt"
    users.write_text(f'"postgres" "{L.secrets_file().db_password}"\n')
    users.chmod(0o600)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(users, "postgres", "postgres")
    ini = folder / f"{name}.ini"
    ini.write_text(
        f"""[databases]
* = host=127.0.0.1 port={target_port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {L.BOUNCER_PORTS[name]}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = {users}
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 20
server_login_retry = 1
query_wait_timeout = 20
server_connect_timeout = 3
ignore_startup_parameters = extra_float_digits,options
logfile = {L.LOG / f"pgbouncer-{name}.log"}
pidfile = {L.RUN / f"pgbouncer-{name}.pid"}
admin_users = postgres
"""
    )
    if os.geteuid() == 0:
        shutil.chown(ini, "postgres", "postgres")
    return ini


def bouncer_start(name: str) -> None:
    current = L.state()
    target = current.get(name) or current["primary"]
    ini = bouncer_config(name, L.PG_PORTS[target])
    if L.pid_of(f"pgbouncer-{name}"):
        bouncer_reload(name)  # its target may have changed (a failover)
        return
    L.as_postgres([tool("pgbouncer"), "-d", "-q", str(ini)])


def bouncer_reload(name: str) -> None:
    """pgbouncer reads its configuration again; server connections to a target that changed
    are closed and opened to the new one."""
    psql(L.BOUNCER_PORTS[name], "RELOAD", db="pgbouncer")


def redis_start() -> None:
    if L.pid_of("redis"):
        return
    subprocess.run(
        [
            tool("redis-server"),
            "--bind",
            "127.0.0.1",
            "--port",
            str(L.REDIS_PORT),
            "--daemonize",
            "yes",
            "--pidfile",
            str(L.RUN / "redis.pid"),
            "--logfile",
            str(L.LOG / "redis.log"),
            "--dir",
            str(L.ROOT / "redis"),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--protected-mode",
            "yes",
        ],
        check=True,
    )


def spawn(name: str, command: list[str]) -> None:
    """A long-running process of the cluster, in its own session, its pid in run/."""
    if L.pid_of(name):
        return
    with (L.LOG / f"{name}.log").open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=L.BASE_DIR,
            env=L.app_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    (L.RUN / f"{name}.pid").write_text(str(process.pid))


# --- Django: schema, demo, app nodes, workers, haproxy ---------------------------------------


def manage(*args: str) -> None:
    env = L.app_env()
    env["DATABASE_URL"] = L.database_url(L.PG_PORTS[L.state()["primary"]])  # not through the pool
    subprocess.run([str(L.PYTHON), "manage.py", *args], cwd=L.BASE_DIR, env=env, check=True)


def schema_and_demo() -> None:
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    marker = L.ROOT / "demo-loaded"
    if not marker.exists():
        say("chargement de la démo")
        manage("load_demo", "--base-url", L.URL.rstrip("/"))
        marker.touch()


def app_start(index: int) -> None:
    port = L.APP_PORTS[index]
    spawn(
        f"app{index + 1}",
        [
            str(L.PYTHON),
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={L.APP_WORKERS}",
            "--timeout=60",
            "--graceful-timeout=5",
            "--backlog=2048",
            "--log-level=warning",
        ],
    )


def worker_start(index: int) -> None:
    # django-tasks-rq's job class runs a task of Django's tasks API (rq's own would not).
    spawn(
        f"worker{index + 1}",
        [
            str(L.PYTHON),
            "manage.py",
            "rqworker",
            "default",
            "--job-class",
            "django_tasks_rq.backend.Job",
            "-v",
            "0",  # warnings only: rq would log each job's arguments
        ],
    )


MARK_DOWN_ON_ERROR = "observe layer4 error-limit 1 on-error mark-down"


def haproxy_start() -> None:
    servers = "\n".join(
        f"    server app{i + 1} 127.0.0.1:{port} check" for i, port in enumerate(L.APP_PORTS)
    )
    config = L.ROOT / "haproxy.cfg"
    previous = config.read_text() if config.exists() else ""
    config.write_text(
        f"""global
    maxconn 4096
    pidfile {L.RUN / "haproxy.pid"}
    stats socket {L.RUN / "haproxy.sock"} mode 600 level admin
    daemon

defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    retries 3
    option redispatch 1
    option forwardfor

frontend portal
    bind 127.0.0.1:{L.HAPROXY_PORT}
    default_backend apps

backend apps
    balance leastconn
    option httpchk GET /connexion/
    http-check expect status 200
    # Requests wait in haproxy's queue, not in a node's backlog: a node that dies takes only
    # the requests it was computing with it, the queued ones go to the other nodes.
    timeout queue 110s
    # A node that refuses a connection is marked down at once (a dead node has no connections:
    # leastconn would pick it again and again until the health check noticed).
    default-server inter 1s fall 2 rise 2 maxconn {L.APP_WORKERS} {MARK_DOWN_ON_ERROR}
{servers}
"""
    )
    old = L.pid_of("haproxy")
    if old and config.read_text() == previous:
        return
    subprocess.run([tool("haproxy"), "-c", "-q", "-f", str(config)], check=True)
    # A changed configuration: a new haproxy takes over from the old one (-sf), no downtime.
    subprocess.run(
        [tool("haproxy"), "-f", str(config), *(["-sf", str(old)] if old else [])], check=True
    )


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def wait_serving(timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if (
                all(get(p, "/connexion/") == 200 for p in L.APP_PORTS)
                and get(L.HAPROXY_PORT, "/connexion/") == 200
            ):
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("le cluster ne répond pas (voir var/cluster/log/)")


def demo_login_ok() -> bool:
    """The demo family signs in through haproxy (the login form, its CSRF token, a redirect)."""
    conn = http.client.HTTPConnection("127.0.0.1", L.HAPROXY_PORT, timeout=30)
    try:
        conn.request("GET", "/connexion/")
        response = conn.getresponse()
        page = response.read().decode()
        cookies = "; ".join(
            value.split(";")[0]
            for key, value in response.getheaders()
            if key.lower() == "set-cookie"
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            return False
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": DEMO_LOGIN[0],
                "password": DEMO_LOGIN[1],
            }
        )
        conn.request(
            "POST",
            "/connexion/",
            body=body,
            headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = conn.getresponse()
        response.read()
        return response.status == 302 and "connexion" not in (response.getheader("Location") or "")
    finally:
        conn.close()


def running() -> dict[str, bool]:
    names = ["redis", "pgbouncer-primary", "pgbouncer-replica", "sync-guard", "haproxy"]
    names += [f"app{i + 1}" for i in range(len(L.APP_PORTS))]
    names += [f"worker{i + 1}" for i in range(L.WORKERS)]
    found = {name: L.pid_of(name) is not None for name in names}
    current = L.state()
    for role in ("primary", "replica"):
        if current.get(role):
            folder = current[role]
            label = f"postgresql {role} (pg/{folder}, :{L.PG_PORTS[folder]})"
            found[label] = pg_running(folder)
    return found


def up() -> None:
    if L.ROOT.exists() and all(running().values()):
        haproxy_start()  # its configuration refreshed when this script changed it
        say(f"le cluster tourne déjà. Espace Famille (cluster) : {L.URL}")
        return
    ensure_packages(say=say)
    prepare_folders()
    L.secrets_file()
    init_primary()
    current = L.state()
    pg_start(current["primary"])
    init_replica()
    if current["replica"]:
        pg_start(current["replica"])
    spawn("sync-guard", [str(L.PYTHON), str(L.BASE_DIR / "ops" / "sync_guard.py")])
    bouncer_start("primary")
    bouncer_start("replica")
    redis_start()
    schema_and_demo()
    for index in range(len(L.APP_PORTS)):
        app_start(index)
    for index in range(L.WORKERS):
        worker_start(index)
    haproxy_start()
    wait_serving()
    if not demo_login_ok():
        raise SystemExit("la connexion de démonstration échoue à travers haproxy")
    say("connexion de la famille de démonstration à travers haproxy : OK")
    say(
        "HTTP en clair sur la boucle locale : redirection HTTPS et cookies « Secure » désactivés "
        "(SECURE_SSL_REDIRECT=0, SECURE_COOKIES=0) pour ce cluster local seulement."
    )
    print(f"Espace Famille (cluster) : {L.URL}", flush=True)


def stop_pid(name: str, sig: int = signal.SIGTERM) -> None:
    pid = L.pid_of(name)
    if pid is None:
        return
    try:
        os.killpg(pid, sig) if name.startswith(("app", "worker", "sync")) else os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and L.pid_of(name):
        time.sleep(0.2)
    if L.pid_of(name):
        os.kill(pid, signal.SIGKILL)


def down() -> None:
    for name in [
        "haproxy",
        *[f"app{i + 1}" for i in range(len(L.APP_PORTS))],
        *[f"worker{i + 1}" for i in range(L.WORKERS)],
        "sync-guard",
        "pgbouncer-primary",
        "pgbouncer-replica",
        "redis",
    ]:
        stop_pid(name)
    for name in ("replica", "primary"):
        if pg_running(name):
            L.as_postgres(
                [L.pg_bin("pg_ctl"), "stop", "-D", str(L.PG / name), "-m", "fast"],
                stdout=subprocess.DEVNULL,
            )
    say("cluster arrêté (données gardées dans var/cluster/)")


def status() -> int:
    found = running()
    for name, alive in found.items():
        print(f"  {name:32} {'en marche' if alive else 'arrêté'}")
    if all(found.values()):
        print(f"Espace Famille (cluster) : {L.URL}")
    elif any(found.values()):
        print("cluster incomplet : `make cluster` démarre ce qui manque")
    else:
        print("cluster arrêté : `make cluster` le redémarre sur ses données")
    return 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "status"
    if action == "up":
        up()
    elif action == "down":
        down()
    else:
        sys.exit(status())
