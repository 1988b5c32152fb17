"""The Debian packages the local cluster runs on (``make cluster``): which are missing, and
their installation with apt-get when this runs as root (or with a sudo that asks no password).
Otherwise it stops and says which packages to install and how. Standard library only."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from glob import glob

# Debian package → the program the cluster runs from it.
PACKAGES = {
    "postgresql": "pg_ctl",
    "pgbouncer": "pgbouncer",
    "redis-server": "redis-server",
    "haproxy": "haproxy",
}
# Debian puts PostgreSQL's server programs under /usr/lib/postgresql/<version>/bin, off PATH.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
# pgbouncer and haproxy are in /usr/sbin, which a user's PATH often lacks.
SBIN = ("/usr/local/sbin", "/usr/sbin", "/sbin")


def search_path(path: str | None = None) -> str:
    """Where the cluster looks for its programs: ``path`` (PATH by default) and the sbin
    folders."""
    folders = (os.environ.get("PATH", "") if path is None else path).split(os.pathsep)
    return os.pathsep.join([*[f for f in folders if f], *SBIN])


def program(name: str, *, path: str | None = None, pg_bin_glob: str = PG_BIN_GLOB) -> str | None:
    """The full path of ``name``: PostgreSQL's newest version first, then the search path."""
    versions = sorted(glob(f"{pg_bin_glob}/{name}"), key=_version)
    if versions:
        return versions[-1]
    return shutil.which(name, path=search_path(path))


def _version(found: str) -> int:
    version = found.rstrip("/").split("/")[-3]
    return int(version) if version.isdigit() else 0


def missing_packages(*, path: str | None = None, pg_bin_glob: str = PG_BIN_GLOB) -> list[str]:
    return [
        package
        for package, name in PACKAGES.items()
        if program(name, path=path, pg_bin_glob=pg_bin_glob) is None
    ]


class PackagesMissing(SystemExit):
    """Stops ``make cluster`` with what to install, in French (the operator reads it)."""


def install_command(missing: Sequence[str]) -> list[str]:
    return ["apt-get", "install", "-y", "--no-install-recommends", *missing]


def ensure_packages(
    *,
    say: Callable[[str], None] = print,
    run: Callable[..., object] = subprocess.run,
    is_root: bool | None = None,
    path: str | None = None,
    pg_bin_glob: str = PG_BIN_GLOB,
) -> None:
    """Install the missing packages, or stop and say which ones to install and how."""
    missing = missing_packages(path=path, pg_bin_glob=pg_bin_glob)
    if not missing:
        return
    command = install_command(missing)
    if shutil.which("apt-get", path=search_path(path)) is None:
        raise PackagesMissing(
            f"Il manque des programmes du cluster ({', '.join(missing)}) et apt-get n'est pas "
            "disponible : installez-les avec le gestionnaire de paquets de ce système "
            "(paquets Debian du même nom), puis relancez `make cluster`."
        )
    root = os.geteuid() == 0 if is_root is None else is_root
    if root:
        prefix: list[str] = []
    elif _sudo_without_password(run, path):
        prefix = ["sudo", "-n"]
    else:
        raise PackagesMissing(
            f"Il manque des paquets Debian : {', '.join(missing)}. Installez-les en root "
            f"(`{' '.join(command)}`), ou lancez `make cluster` en root, puis relancez-le."
        )
    say(f"installation des paquets Debian manquants : {', '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    run([*prefix, *command], check=True, env=env)
    still = missing_packages(path=path, pg_bin_glob=pg_bin_glob)
    if still:
        raise PackagesMissing(
            f"Après apt-get, il manque toujours : {', '.join(still)} (voir la sortie ci-dessus)."
        )


def _sudo_without_password(run: Callable[..., object], path: str | None) -> bool:
    if shutil.which("sudo", path=search_path(path)) is None:
        return False
    done = run(["sudo", "-n", "true"], check=False, capture_output=True)
    return getattr(done, "returncode", 1) == 0
