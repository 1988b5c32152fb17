"""The backup archive: a ``.tar.gz`` holding ``manifest.json``, the database copy
(``database.sqlite3`` or ``database.pgdump``), ``media/…`` (``MEDIA_ROOT``) and
``private_media/…`` (``PRIVATE_MEDIA_ROOT``).

The manifest describes the copy itself, not the live database: on SQLite it is read from the
copy, on PostgreSQL in the very snapshot ``pg_dump`` exports (``--snapshot``), so requests served
meanwhile never make a backup disagree with its own manifest."""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import dj_database_url
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler
from django.utils import timezone

from espacefamille.core.planner_statistics import refresh_planner_statistics

from . import databases
from .manifest import database_summary, differences, file_sha256, folder_files

FORMAT = 1
MANIFEST = "manifest.json"
FOLDERS = {"media": "MEDIA_ROOT", "private_media": "PRIVATE_MEDIA_ROOT"}
# Personal data, password hashes and TOTP secrets: readable by the portal's user only.
ARCHIVE_MODE = 0o600


def _folder(prefix: str) -> Path:
    return Path(getattr(settings, FOLDERS[prefix]))


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int


@contextmanager
def _own_connection(settings_dict: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    handler = ConnectionHandler({"default": dict(settings_dict)})
    connection = handler["default"]
    try:
        yield connection
    finally:
        connection.close()


def _dump_with_summary(source: BaseDatabaseWrapper, work: Path) -> tuple[Path, dict[str, Any]]:
    vendor = databases.vendor_of(source)
    destination = work / databases.DUMP_NAMES[vendor]
    if vendor == databases.SQLITE:
        databases.dump(source, destination)
        copy_settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(destination)}
        with _own_connection(copy_settings) as copy:
            return destination, database_summary(copy)
    with _own_connection(source.settings_dict) as snapshot:
        with snapshot.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        databases.dump(snapshot, destination, snapshot=snapshot_id)
        summary = database_summary(snapshot)
        with snapshot.cursor() as cursor:
            cursor.execute("COMMIT")
    return destination, summary


def backup_create(output: Path) -> BackupResult:
    """Write the archive to ``output`` (through a temporary file renamed at the end), mode
    0600 from its creation (``_private_file``), whatever the umask."""
    output = output.resolve()
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    source = connections["default"]
    with tempfile.TemporaryDirectory(prefix="espacefamille-backup-") as work_name:
        work = Path(work_name)
        dump_path, tables = _dump_with_summary(source, work)
        partial = output.with_name(output.name + ".partial")
        files: dict[str, dict[str, str]] = {prefix: {} for prefix in FOLDERS}
        with _private_file(partial) as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
            archive.add(dump_path, arcname=dump_path.name)
            for prefix in FOLDERS:
                for name, path in folder_files(_folder(prefix)).items():
                    files[prefix][name] = file_sha256(path)
                    archive.add(path, arcname=f"{prefix}/{name}", recursive=False)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "engine": databases.vendor_of(source),
                "database": {"file": dump_path.name, "sha256": file_sha256(dump_path)},
                "tables": tables,
                **files,
            }
            manifest_path = work / MANIFEST
            manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True))
            archive.add(manifest_path, arcname=MANIFEST)
        partial.replace(output)
    return BackupResult(
        path=output,
        tables=len(tables),
        rows=sum(table["rows"] for table in tables.values()),
        files=sum(len(names) for names in files.values()),
    )


@contextmanager
def _private_file(path: Path) -> Iterator[IO[bytes]]:
    """``path`` created anew for writing with mode 0600 (``O_EXCL``: a file left by an
    interrupted backup is removed first, never reused with its own mode; ``O_NOFOLLOW``: a
    symbolic link planted there is not followed)."""
    path.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags, ARCHIVE_MODE), "wb") as handle:
        yield handle


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        raise CommandError("Archive invalide : manifest.json manquant.") from None
    if member is None:
        raise CommandError("Archive invalide : manifest.json illisible.")
    manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise CommandError(f"Format d'archive inconnu : {manifest.get('format')}.")
    return manifest


def _extract_file(archive: tarfile.TarFile, member: tarfile.TarInfo, destination: Path) -> None:
    source = archive.extractfile(member)
    if source is None:
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    with destination.open("wb") as handle:
        shutil.copyfileobj(source, handle)


def _restore_files(archive: tarfile.TarFile) -> None:
    """Write ``media/…`` and ``private_media/…`` under their folders, refusing any member
    whose name would land outside them."""
    for member in archive.getmembers():
        parts = PurePosixPath(member.name).parts
        if not member.isfile() or len(parts) < 2 or parts[0] not in FOLDERS:
            continue
        if any(part in {"..", ""} for part in parts) or PurePosixPath(member.name).is_absolute():
            raise CommandError(f"Archive invalide : chemin refusé {member.name!r}.")
        _extract_file(archive, member, _folder(parts[0]).joinpath(*parts[1:]))


def _check_files(manifest: dict[str, Any]) -> list[str]:
    found_lines = []
    for prefix in FOLDERS:
        root = _folder(prefix)
        expected = manifest.get(prefix, {})
        found = {name: file_sha256(root / name) for name in expected if (root / name).is_file()}
        found_lines += differences(expected, found, f"Fichier {prefix}/")
    return found_lines


def restore_archive(path: Path, *, force: bool, database_url: str | None = None) -> list[str]:
    """Restore the archive into the portal's database (or ``database_url``) and its folders;
    returns the differences with the manifest (empty when the restore is exact)."""
    if not path.is_file():
        raise CommandError(f"Archive introuvable : {path}.")
    target = (
        connections["default"]
        if not database_url
        else ConnectionHandler({"default": dj_database_url.parse(database_url)})["default"]
    )
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = _read_manifest(archive)
            vendor = databases.vendor_of(target)
            if manifest["engine"] != vendor:
                raise CommandError(
                    f"Sauvegarde {manifest['engine']} : elle ne se restaure pas sur {vendor}."
                )
            if not force and not databases.is_empty(target):
                raise CommandError(
                    "La base de données n'est pas vide : restaurez dans une base neuve (sans "
                    "migrate) ou ajoutez --force pour remplacer son contenu."
                )
            with tempfile.TemporaryDirectory(prefix="espacefamille-restore-") as work_name:
                dump_name = manifest["database"]["file"]
                dump_path = Path(work_name) / Path(dump_name).name
                try:
                    _extract_file(archive, archive.getmember(dump_name), dump_path)
                except KeyError:
                    raise CommandError(f"Archive invalide : {dump_name} manquant.") from None
                problems = differences(
                    {dump_name: manifest["database"]["sha256"]},
                    {dump_name: file_sha256(dump_path)},
                    "Copie de la base",
                )
                databases.load(target, dump_path, replace=force)
            if vendor != databases.SQLITE:
                # pg_restore brings no planner statistics (SQLite's copy keeps sqlite_stat1):
                # the first pages would plan blind.
                refresh_planner_statistics(connection=target)
            _restore_files(archive)
        problems += differences(manifest["tables"], database_summary(target), "Table")
        return problems + _check_files(manifest)
    finally:
        if database_url:
            target.close()
