"""What a backup holds, as numbers a restore can check: per table its row count and a hash of
its rows (sorted, so two copies of the same data give the same hash), per file its SHA-256.

Tables are read with SQL, not through the models: the manifest covers every table of the
database (Django's own included) and never depends on a model's manager or scope."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

HASH_CHUNK = 1024 * 1024
FETCH_SIZE = 2000


def table_names(connection: BaseDatabaseWrapper) -> list[str]:
    """Every table of the database, Django's and the apps' alike, sorted."""
    with connection.cursor() as cursor:
        return sorted(
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t"
        )


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(connection: BaseDatabaseWrapper, table: str) -> Iterator[tuple[Any, ...]]:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - a name from the catalogue
        width = len(cursor.description or [])
        cursor.execute(
            f"SELECT * FROM {quoted} ORDER BY "  # noqa: S608
            + ", ".join(str(position) for position in range(1, width + 1))
        )
        while batch := cursor.fetchmany(FETCH_SIZE):
            yield from batch


def table_summary(connection: BaseDatabaseWrapper, table: str) -> dict[str, Any]:
    """``{"rows": count, "sha256": hash of the rows in a fixed order}``."""
    digest = hashlib.sha256()
    count = 0
    for row in _rows(connection, table):
        count += 1
        line = json.dumps([_canonical(value) for value in row], default=str, sort_keys=True)
        digest.update(line.encode())
        digest.update(b"\n")
    return {"rows": count, "sha256": digest.hexdigest()}


def database_summary(connection: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    return {table: table_summary(connection, table) for table in table_names(connection)}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def folder_files(root: Path) -> dict[str, Path]:
    """Every file under ``root`` by its path relative to it (POSIX form), sorted."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def folder_summary(root: Path) -> dict[str, str]:
    return {name: file_sha256(path) for name, path in folder_files(root).items()}


def differences(expected: dict[str, Any], found: dict[str, Any], what: str) -> list[str]:
    """Human-readable lines for each entry missing, extra or different."""
    lines = []
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            lines.append(f"{what} {name} : absent après restauration")
        elif name not in expected:
            lines.append(f"{what} {name} : absent de la sauvegarde")
        elif expected[name] != found[name]:
            lines.append(f"{what} {name} : {expected[name]} attendu, {found[name]} trouvé")
    return lines
