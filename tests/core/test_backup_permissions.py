"""The backup archive holds personal data, password hashes and TOTP secrets: it is created
readable by its owner only (0600), from its first byte, whatever the umask; a partial file
left by an interrupted run is not reused with its own mode."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from espacefamille.core.backups import archive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The default umask of most servers: files 0644 unless the code says otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_archive_is_private_from_its_creation(
    tmp_path: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "sauvegardes" / "2026-12-06.tar.gz"
    partial = output.with_name(output.name + ".partial")
    output.parent.mkdir()
    output.write_bytes(b"last night's archive")
    partial.write_bytes(b"left by an interrupted run")
    for path in (output, partial):
        path.chmod(0o644)
    modes_while_writing: list[int] = []
    list_files = archive.folder_files

    def spy(folder: Path) -> dict[str, Path]:
        modes_while_writing.append(_mode(partial))
        return list_files(folder)

    monkeypatch.setattr(archive, "folder_files", spy)
    with override_settings(MEDIA_ROOT=tmp_path / "media", PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        call_command("backup", output=output, stdout=io.StringIO())

    assert modes_while_writing and set(modes_while_writing) == {0o600}
    assert _mode(output) == 0o600
    assert not partial.exists()
    assert output.read_bytes()[:2] == b"\x1f\x8b"  # a gzip stream, not the old content


def test_a_new_folder_for_backups_is_private(tmp_path: Path, open_umask: None) -> None:
    output = tmp_path / "sauvegardes" / "2026-12-06.tar.gz"
    with override_settings(MEDIA_ROOT=tmp_path / "media", PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        call_command("backup", output=output, stdout=io.StringIO())
    assert _mode(output) == 0o600 and _mode(output.parent) == 0o700
