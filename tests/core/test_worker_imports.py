"""What a web worker carries from its start (issue 17, item 5: one worker ≤ 100 MB). The
libraries that write or read files a family page never needs — spreadsheets, PDFs, SMS and
web push clients — are imported by the functions that use them, not by the URLconf or the
warm-up: each cost every worker megabytes it never used (openpyxl ~13 MB, reportlab ~9 MB,
pywebpush with aiohttp and requests, httpx, pypdf). Run in a fresh interpreter, as gunicorn's
worker imports ``config.wsgi`` (the URLconf, the warm-up)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.bookings.live import BASE_DIR

LOADED_ON_USE = ("openpyxl", "reportlab", "pypdf", "pywebpush", "aiohttp", "httpx")

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import config.wsgi  # noqa: F401  (the application, the URLconf and the warm-up)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_fresh_worker_imports_no_file_library() -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "worker-imports-test-secret-key-that-is-long-enough-for-django-5",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "holidays" in loaded  # the warm-up ran (what a first click needs is there)
    assert sorted(loaded.intersection(LOADED_ON_USE)) == []
