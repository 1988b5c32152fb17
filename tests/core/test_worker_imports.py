"""What a web worker carries from its start (issue 17, item 5: one worker ≤ 100 MB). The
libraries that write or read files a family page never needs — spreadsheets, PDFs, SMS and
web push clients — are imported by the functions that use them, not by the URLconf or the
warm-up: each cost every worker megabytes it never used (openpyxl ~13 MB, reportlab ~9 MB,
pywebpush with aiohttp and requests, httpx, pypdf), nor is the open API with Django REST
framework (~20 MB), which only API clients call. Run in a fresh interpreter, as gunicorn's
worker imports ``config.wsgi`` (the URLconf, the warm-up)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.bookings.live import BASE_DIR, server_env

LOADED_ON_USE = (
    "openpyxl",
    "reportlab",
    "pypdf",
    "pywebpush",
    "aiohttp",
    "httpx",
    "requests",  # webhook deliveries and API Particulier: sent by the task worker or on demand
    # The open API (config/deferred_include.py): its first request or reverse imports it.
    "rest_framework",
    "drf_spectacular.openapi",  # (its app, registered for its command, is a few lines)
)

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import config.wsgi  # noqa: F401  (the application, the URLconf and the warm-up)
print(json.dumps(sorted(sys.modules)))
from django.urls import resolve, reverse
print(json.dumps([reverse("api:docs"), resolve("/api/v1/services/").view_name]))
"""


def fresh_interpreter_lines(code: str, tmp_path: Path) -> list[str]:
    """What ``code`` prints, run by a new interpreter in the project with a server's
    environment (a database of its own under ``tmp_path``)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=server_env(f"sqlite:///{tmp_path / 'worker.sqlite3'}", tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout.strip().splitlines()


def test_a_fresh_worker_imports_no_file_library(tmp_path: Path) -> None:
    modules, api_routes = fresh_interpreter_lines(PROBE, tmp_path)[-2:]
    loaded = set(json.loads(modules))
    assert "holidays" in loaded  # the warm-up ran (what a first click needs is there)
    assert sorted(loaded.intersection(LOADED_ON_USE)) == []
    # The deferred API still reverses and resolves once asked.
    assert json.loads(api_routes) == ["/api/v1/docs/", "api:services"]


CALENDARS_FIRST = (
    "import json, sys\n"
    "from django.core.wsgi import get_wsgi_application\n"
    "get_wsgi_application()\n"
    "from espacefamille.catalog import calendar\n"
    "original, seen = calendar.public_holidays, []\n"
    "def spy(year):\n"
    "    seen.append('config.urls' in sys.modules)\n"
    "    return original(year)\n"
    "calendar.public_holidays = spy\n"
    "from config.warmup import warm_up\n"
    "warm_up()\n"
    "print(json.dumps(seen))\n"
)


def test_the_warm_up_computes_the_holidays_before_importing_the_views(tmp_path: Path) -> None:
    """Computing the holidays holds ~25 MB for a moment (the ``holidays`` library imports its
    280 countries); done before the URLconf, that memory is reused by the views' imports
    instead of raising the worker's peak above its resting memory."""
    urlconf_loaded = json.loads(fresh_interpreter_lines(CALENDARS_FIRST, tmp_path)[-1])
    assert urlconf_loaded and not any(urlconf_loaded)


FROZEN = (
    "import gc, json, os\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
    "import config.wsgi  # noqa: F401  (the application and the warm-up)\n"
    "print(json.dumps([gc.get_freeze_count(), len(gc.get_objects())]))\n"
)


def test_a_fresh_worker_leaves_what_it_loaded_out_of_the_collectors_way(tmp_path: Path) -> None:
    """The objects of a worker's start (modules, URLconf, templates, catalogues) live as long
    as the worker: frozen, a full collection during a request walks only what requests
    made (issue 17: a full collection of the ~150,000 walked 60–90 ms of one request)."""
    frozen, tracked = json.loads(fresh_interpreter_lines(FROZEN, tmp_path)[-1])
    assert frozen > 50_000
    assert tracked < frozen / 20
