"""Production settings: ``check --deploy`` is clean with DEBUG=0 alone, and SECRET_KEY must
come from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "ESPACEFAMILLE_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production() -> None:
    result = _run(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 20 + "-production-secret-key-from-env-0123456789",
            "ALLOWED_HOSTS": "famille.example.org",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _run({"DEBUG": "0", "SECRET_KEY": ""}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_security_headers() -> None:
    from django.conf import settings

    from config import settings as production_settings  # the tests hash with MD5

    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.AXES_COOLOFF_TIME is not None
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
