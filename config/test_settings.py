"""Settings for the test suite: the same settings, in test mode (set before they are read)."""

import os

os.environ["ESPACEFAMILLE_TESTING"] = "1"
# Playwright's sync API runs an event loop in the test thread beside the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from config.settings import *  # noqa: F403
