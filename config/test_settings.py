"""Settings for the test suite: the same settings, in test mode (set before they are read)."""

import os

os.environ["ESPACEFAMILLE_TESTING"] = "1"
# Playwright's sync API runs an event loop in the test thread beside the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from config.settings import *  # noqa: F403

# Argon2 costs 0.2 s of CPU per hash (100 MB, 8 lanes): every user a test creates and every
# sign-in of a journey. The tests hash with MD5; tests/accounts/test_passwords.py checks with the
# production list (config.settings) that passwords are hashed with Argon2, and
# tests/core/test_deploy.py that the production settings name it first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
