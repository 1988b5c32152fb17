"""Copy a database out and back with the engine's own tools, while the portal serves requests:
SQLite through its online backup API (``sqlite3.Connection.backup``: a consistent copy page by
page, writers wait only for a step), PostgreSQL through ``pg_dump -Fc`` / ``pg_restore`` (a
snapshot in one transaction). The PostgreSQL password goes in ``PGPASSWORD``, never on a
command line nor in a message."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAMES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}


def vendor_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DUMP_NAMES:
        raise CommandError(f"Moteur de base de données non pris en charge : {connection.vendor}.")
    return connection.vendor


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} est introuvable : installez le client PostgreSQL.")
    return path


def _pg_arguments(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    arguments = []
    if settings_dict.get("HOST"):
        arguments += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", str(settings_dict["USER"])]
    arguments += ["--dbname", str(settings_dict["NAME"]), "--no-password"]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    finished = subprocess.run(  # noqa: S603 - fixed tools, arguments without a shell
        command, env=environment, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        tool = Path(command[0]).name
        raise CommandError(f"{tool} a échoué : {finished.stderr.strip()[-2000:]}")


def dump(connection: BaseDatabaseWrapper, destination: Path, *, snapshot: str = "") -> None:
    """Write a consistent copy of the database to ``destination`` (on PostgreSQL, of the
    exported ``snapshot`` when given)."""
    if vendor_of(connection) == SQLITE:
        connection.ensure_connection()
        copy = sqlite3.connect(destination)
        try:
            connection.connection.backup(copy, pages=1024)
        finally:
            copy.close()
        return
    arguments, environment = _pg_arguments(connection.settings_dict)
    command = [_pg_tool("pg_dump"), "--format=custom", "--file", str(destination), *arguments]
    if snapshot:
        command.append(f"--snapshot={snapshot}")
    _run(command, environment)


def is_empty(connection: BaseDatabaseWrapper) -> bool:
    """No table at all (a database just created, before ``migrate``)."""
    with connection.cursor() as cursor:
        return not [
            info for info in connection.introspection.get_table_list(cursor) if info.type == "t"
        ]


def load(connection: BaseDatabaseWrapper, source: Path, *, replace: bool) -> None:
    """Restore the copy at ``source`` into the database; ``replace`` drops what is there."""
    if vendor_of(connection) == SQLITE:
        connection.ensure_connection()
        copy = sqlite3.connect(source)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
        return
    arguments, environment = _pg_arguments(connection.settings_dict)
    connection.close()  # pg_restore --clean must not wait for our own connection's locks
    command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, "--single-transaction", *arguments, str(source)], environment)
