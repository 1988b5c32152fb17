"""A worker starts without the libraries only a rare action needs (issue 17: one worker ≤
100 MB): the spreadsheet and PDF writers, the PDF reader of uploads, the web-push and SMS clients
are imported by the action that uses them, not by the URLconf or the models every worker
loads. Together they held about 40 MB of each worker's memory. (``requests`` is not in the
list: Django REST framework imports it for every worker.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.bookings.live import BASE_DIR, server_env

RARE = ("openpyxl", "reportlab", "pypdf", "pywebpush", "aiohttp", "httpx")
PROBE = (
    "import json, sys\n"
    "import config.wsgi  # the application and its warm-up, as a gunicorn worker starts\n"
    f"print(json.dumps(sorted(name for name in {RARE!r} if name in sys.modules)))\n"
)


def test_a_fresh_worker_imports_no_rare_library(tmp_path: Path) -> None:
    env = server_env(f"sqlite:///{tmp_path / 'worker.sqlite3'}", tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


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
    env = server_env(f"sqlite:///{tmp_path / 'worker.sqlite3'}", tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", CALENDARS_FIRST],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    urlconf_loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert urlconf_loaded and not any(urlconf_loaded)
