from __future__ import annotations

from pathlib import Path

import pytest

from ..backoffice.conftest import administrator, facilitator, fast_password_hashing, regie  # noqa: F401


@pytest.fixture(autouse=True)
def private_files(settings: object, tmp_path: Path) -> Path:
    """Uploaded documents go to a temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"  # type: ignore[attr-defined]
    return tmp_path / "private"
