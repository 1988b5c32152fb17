"""``make check``'s audit of the pinned requirements: a pin known to be vulnerable fails it
with the advisory named; today's requirements pass; the database's date is always said."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_requirements.py"


def audit(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_deliberately_old_pin_fails_the_audit(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    old.write_text(
        "asgiref==3.8.1\nDjango==3.2.0\n    # via x\nPillow[extra]==8.1.0 ; python_version >= '3'\n"
    )
    result = audit(old)
    assert result.returncode == 1, result.stdout
    assert "VULNÉRABLE django==3.2.0 (old.txt:2) CVE-2021-32052" in result.stdout
    assert "VULNÉRABLE pillow==8.1.0 (old.txt:4)" in result.stdout
    assert "asgiref" not in result.stdout.split("Audit de")[0]


def test_the_projects_requirements_pass_and_the_limit_is_said() -> None:
    result = audit()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "base.txt, dev.txt" in result.stdout
    assert "avis publiés jusqu'au 2021-07-01 seulement" in result.stdout
