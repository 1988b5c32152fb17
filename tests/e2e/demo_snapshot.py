"""The demo data, loaded once per test process and put back before each browser journey.

``load_demo`` costs about 2 s of CPU; the journeys (about 70 on SQLite, more at the frozen dates
and on PostgreSQL) each started from a fresh load. Here the first journey of a process (each
pytest-xdist worker) loads the demo, then the database is copied aside (PostgreSQL's
``COPY … TO STDOUT`` of every table and the sequences' values; SQLite loads it each time, below).
Every journey then starts from that copy — the same rows, ids and files as a fresh load — and
pytest-django still empties the database after it (TransactionTestCase's flush), so the tests
that follow it see what they saw before.

The files the demo writes (the news' PDF, the invoices' PDFs) are written to folders of their
own while it loads, then copied into the ``MEDIA_ROOT`` and ``PRIVATE_MEDIA_ROOT`` of each
journey (some journeys point them at their ``tmp_path``). A new day (a run across midnight)
loads the demo again, its dates being relative to today."""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from espacefamille.demo import DemoReport, load_demo

MEDIA_SETTINGS = ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")


@dataclass
class PostgresCopy:
    """Every table's rows (binary COPY) and every sequence's position."""

    tables: list[str] = field(default_factory=list)
    rows: dict[str, bytes] = field(default_factory=dict)
    sequences: list[tuple[str, int, bool]] = field(default_factory=list)


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _postgres_copy() -> PostgresCopy:
    saved = PostgresCopy()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        saved.tables = sorted(row[0] for row in cursor.fetchall())
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        for table in saved.tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_quoted(table)})")  # noqa: S608
            if not cursor.fetchone()[0]:
                continue
            with raw.copy(f"COPY {_quoted(table)} TO STDOUT (FORMAT binary)") as copied:
                saved.rows[table] = b"".join(bytes(block) for block in copied)
        cursor.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        for (sequence,) in cursor.fetchall():
            cursor.execute(f"SELECT last_value, is_called FROM {_quoted(sequence)}")  # noqa: S608
            last_value, is_called = cursor.fetchone()
            saved.sequences.append((sequence, last_value, is_called))
    return saved


def _postgres_restore(saved: PostgresCopy) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # DELETE rather than TRUNCATE: the tables are (nearly) empty after the flush, and
        # PostgreSQL's TRUNCATE costs a new file per table and index (5 s for these ~110).
        for table in saved.tables:
            cursor.execute(f"DELETE FROM {_quoted(table)}")  # noqa: S608
        raw = cursor.cursor
        for table, data in saved.rows.items():
            with raw.copy(f"COPY {_quoted(table)} FROM STDIN (FORMAT binary)") as copying:
                copying.write(data)
        for sequence, last_value, is_called in saved.sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [_quoted(sequence), last_value, is_called])


@dataclass
class DemoSnapshot:
    """The demo database of one test process, and the files the demo wrote."""

    folder: Path
    report: DemoReport | None = None
    day: Any = None
    postgres_copy: PostgresCopy | None = None

    def demo(self, base_url: str) -> DemoReport:
        """The database as ``load_demo(base_url=…)`` leaves it, and its report."""
        if connection.vendor == "sqlite":
            # SQLite's backup API into the shared in-memory test database left a table lock
            # that failed the next flush ("database table is locked") on some journeys: on
            # SQLite each journey loads the demo, as before.
            return load_demo(base_url=base_url)
        if self.report is None or self.day != timezone.localdate():
            self._load(base_url)
        self._restore()
        return copy.deepcopy(self.report)

    def _load(self, base_url: str) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        folders = {name: self.folder / name for name in MEDIA_SETTINGS}
        with override_settings(**folders):
            self.report = load_demo(base_url=base_url)
        self.day = timezone.localdate()
        self.postgres_copy = _postgres_copy()

    def _restore(self) -> None:
        if self.postgres_copy is not None:
            _postgres_restore(self.postgres_copy)
        ContentType.objects.clear_cache()  # the copy's ids, not those of the last flush
        for cache in caches.all():  # a fresh load had new ids: no cached entry matched them
            cache.clear()
        for name in MEDIA_SETTINGS:
            written = self.folder / name
            if written.exists():
                shutil.copytree(written, Path(getattr(settings, name)), dirs_exist_ok=True)
