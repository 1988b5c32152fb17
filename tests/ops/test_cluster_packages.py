"""`make cluster` on a machine without its Debian packages (ops/cluster_packages.py): what is
missing is found from the programs, installed with apt-get as root, and named with the command
to type otherwise. Run against a PATH of fake programs: nothing is installed here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "ops"))

import cluster_packages as packages

EVERY_PACKAGE = ["postgresql", "pgbouncer", "redis-server", "haproxy"]


def fake_programs(folder: Path, *names: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        program = folder / name
        program.write_text("#!/bin/sh\nexit 0\n")
        program.chmod(0o755)
    return str(folder)


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A machine whose PATH holds only apt-get and sudo, without /usr/sbin or PostgreSQL."""
    path = fake_programs(tmp_path / "bin", "apt-get", "sudo")
    monkeypatch.setattr(packages, "SBIN", ())
    return {"path": path, "pg_bin_glob": str(tmp_path / "postgresql" / "*" / "bin")}


class Recorder:
    def __init__(self, sudo_ok: bool = False, install: Any = None) -> None:
        self.commands: list[list[str]] = []
        self.sudo_ok = sudo_ok
        self.install = install

    def __call__(self, command: list[str], **_kwargs: Any) -> Any:
        self.commands.append(command)
        if command[-1] == "true":
            return type("Done", (), {"returncode": 0 if self.sudo_ok else 1})()
        if "install" in command and self.install:
            self.install()
        return None


def test_every_package_is_missing_on_a_path_without_its_programs(bare: dict[str, Any]) -> None:
    assert packages.missing_packages(**bare) == EVERY_PACKAGE


def test_programs_found_on_the_path_and_postgresql_in_its_version_folder(
    bare: dict[str, Any], tmp_path: Path
) -> None:
    fake_programs(Path(bare["path"]), "pgbouncer", "redis-server", "haproxy")
    assert packages.missing_packages(**bare) == ["postgresql"]
    fake_programs(tmp_path / "postgresql" / "9" / "bin", "pg_ctl")
    fake_programs(tmp_path / "postgresql" / "17" / "bin", "pg_ctl")
    assert packages.missing_packages(**bare) == []
    found = packages.program("pg_ctl", **bare)
    assert found == str(tmp_path / "postgresql" / "17" / "bin" / "pg_ctl")


def test_as_root_apt_get_installs_what_is_missing(bare: dict[str, Any], tmp_path: Path) -> None:
    fake_programs(Path(bare["path"]), "pgbouncer")

    def install() -> None:
        fake_programs(Path(bare["path"]), "redis-server", "haproxy")
        fake_programs(tmp_path / "postgresql" / "17" / "bin", "pg_ctl")

    run = Recorder(install=install)
    said: list[str] = []
    packages.ensure_packages(say=said.append, run=run, is_root=True, **bare)
    assert run.commands == [
        ["apt-get", "update", "-qq"],
        [
            "apt-get",
            "install",
            "-y",
            "--no-install-recommends",
            "postgresql",
            "redis-server",
            "haproxy",
        ],
    ]
    assert said == ["installation des paquets Debian manquants : postgresql, redis-server, haproxy"]


def test_without_root_nor_sudo_it_stops_and_names_the_packages(bare: dict[str, Any]) -> None:
    run = Recorder(sudo_ok=False)
    with pytest.raises(packages.PackagesMissing) as stopped:
        packages.ensure_packages(run=run, is_root=False, **bare)
    message = str(stopped.value)
    assert "postgresql, pgbouncer, redis-server, haproxy" in message
    assert "apt-get install -y --no-install-recommends postgresql pgbouncer" in message
    assert run.commands == [["sudo", "-n", "true"]]  # nothing installed


def test_a_sudo_without_password_installs(bare: dict[str, Any], tmp_path: Path) -> None:
    fake_programs(Path(bare["path"]), "pgbouncer", "redis-server", "haproxy")
    run = Recorder(sudo_ok=True)
    with pytest.raises(packages.PackagesMissing, match="toujours : postgresql"):
        packages.ensure_packages(say=lambda _text: None, run=run, is_root=False, **bare)
    assert run.commands[1:] == [
        ["sudo", "-n", "apt-get", "update", "-qq"],
        ["sudo", "-n", "apt-get", "install", "-y", "--no-install-recommends", "postgresql"],
    ]


def test_without_apt_get_it_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packages, "SBIN", ())
    empty = fake_programs(tmp_path / "empty")
    with pytest.raises(packages.PackagesMissing, match="apt-get n'est pas disponible"):
        packages.ensure_packages(path=empty, pg_bin_glob=str(tmp_path / "none"), run=Recorder())
