"""``backup`` then ``restore`` of the demo (with its uploaded files) into an empty database of
the same engine — a temporary SQLite file, or a fresh PostgreSQL database ``<test db>_restore``
when the suite runs on PostgreSQL (``DATABASE_URL``) — gives identical row counts, table
contents and files; a tampered archive, or a non-empty target, is refused."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import ConnectionHandler
from django.test import override_settings

from espacefamille.core.backups.manifest import database_summary, folder_summary
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo import load_demo
from espacefamille.households.models import Household
from espacefamille.inquiries.models import InquiryCategory
from espacefamille.inquiries.services import inquiry_create
from tests.uploads_helpers import pdf_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def folders(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    media, private = tmp_path / "media", tmp_path / "private"
    with override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=private):
        yield media, private


@pytest.fixture
def demo(folders: tuple[Path, Path]) -> None:
    """The demo, plus a request with its document and a public file (a town's logo)."""
    load_demo(base_url="http://testserver")
    from espacefamille.core.models import Municipality

    town = Municipality.objects.get(slug="demo")
    town.logo.save("logo-demo.png", ContentFile(b"\x89PNG fake logo"), save=True)
    with municipality_scope(town):
        category = InquiryCategory.objects.get(name__startswith="Autorisation de récupération")
        dupont = Household.objects.get(external_ref="DEMO-001")
        inquiry_create(
            household=dupont,
            category=category,
            child=dupont.children.first(),
            text="J'autorise ma voisine à récupérer Paul.",
            documents={category.required_documents.get().pk: pdf_file("piece-identite.pdf")},
            actor=None,
        )


def _url(settings_dict: dict[str, object], name: str) -> str:
    user = quote(str(settings_dict.get("USER") or ""))
    password = quote(str(settings_dict.get("PASSWORD") or ""))
    host, port = settings_dict.get("HOST") or "localhost", settings_dict.get("PORT") or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{name}"


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the suite's engine, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _url(connection.settings_dict, name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _summary_of(url: str) -> dict[str, dict[str, object]]:
    import dj_database_url

    target = ConnectionHandler({"default": dj_database_url.parse(url)})["default"]
    try:
        return database_summary(target)
    finally:
        target.close()


def test_round_trip_gives_identical_tables_and_files(
    demo: None, folders: tuple[Path, Path], tmp_path: Path, empty_database: str
) -> None:
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    source_tables = database_summary(connection)
    source_files = [folder_summary(folder) for folder in folders]
    assert source_tables["households_child"]["rows"] >= 7
    assert any(name.startswith("news/") for name in source_files[1])
    assert any(name.startswith("inquiries/") for name in source_files[1]), source_files[1]
    assert source_files[0]

    restored_media, restored_private = tmp_path / "restored-media", tmp_path / "restored-private"
    with override_settings(MEDIA_ROOT=restored_media, PRIVATE_MEDIA_ROOT=restored_private):
        output = io.StringIO()
        call_command("restore", str(archive), database_url=empty_database, stdout=output)
    assert "vérifiée" in output.getvalue()
    assert _summary_of(empty_database) == source_tables
    assert [folder_summary(restored_media), folder_summary(restored_private)] == source_files


def _tampered(archive: Path, destination: Path, member_prefix: str) -> Path:
    """A copy of ``archive`` whose first member starting with ``member_prefix`` is altered."""
    changed = False
    with tarfile.open(archive, "r:gz") as source, tarfile.open(destination, "w:gz") as copy:
        for member in source.getmembers():
            content = source.extractfile(member).read() if member.isfile() else b""
            if not changed and member.name.startswith(member_prefix):
                content, changed = content + b"altered", True
                member.size = len(content)
            copy.addfile(member, io.BytesIO(content))
    assert changed
    return destination


@pytest.mark.parametrize("member_prefix", ["private_media/", "database."])
def test_a_tampered_archive_fails_the_check(
    demo: None, tmp_path: Path, empty_database: str, member_prefix: str
) -> None:
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    tampered = _tampered(archive, tmp_path / "alteree.tar.gz", member_prefix)
    with (
        override_settings(MEDIA_ROOT=tmp_path / "m2", PRIVATE_MEDIA_ROOT=tmp_path / "p2"),
        pytest.raises(CommandError),
    ):
        call_command("restore", str(tampered), database_url=empty_database, stderr=io.StringIO())


def test_restore_refuses_a_database_that_is_not_empty(demo: None, tmp_path: Path) -> None:
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restore", str(archive))
