"""The production settings (``DEBUG=0``), with the static files collected under ``var/bench`` so
the benchmarks never touch the project's own ``var/static``. Everything else — database from
``DATABASE_URL``, tasks queued in the database, secure cookies — is production's.

``BENCH_CONN_MAX_AGE`` (seconds) overrides the database connections' lifetime for a what-if
measurement (``config/settings.py`` keeps PostgreSQL connections 60 s, ``CONN_MAX_AGE``; SQLite
opens one per request); ``0`` gives one connection per request."""

import os

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, DATABASES

STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"

if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
