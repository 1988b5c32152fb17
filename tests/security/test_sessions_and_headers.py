"""Sessions and security headers (issue 7, item 4): a new session id at sign-in, a sign-out
that ends the server session, locked or inactive logins losing their sessions at once, the idle
and absolute limits, ``no-store`` on signed-in pages, and every security header as production
settings (DEBUG=0) set it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.access_locks import household_access_lock

from ..conftest import Family
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SETTINGS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "X_FRAME_OPTIONS",
    "PERMISSIONS_POLICY",
    "CONTENT_SECURITY_POLICY",
]
DUMP = (
    "import json, django; django.setup(); from django.conf import settings; "
    f"print(json.dumps({{name: getattr(settings, name) for name in {PRODUCTION_SETTINGS!r}}}))"
)


@pytest.fixture(scope="module")
def production() -> dict[str, Any]:
    """The security settings as ``DEBUG=0`` alone makes them (read in a fresh process)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "ESPACEFAMILLE_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="famille.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", DUMP], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    values: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return values


def _login(client: Client, email: str, **extra: Any) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": email, "password": PASSWORD}, **extra
    )


def test_sign_in_gives_a_new_session_id(family: Family) -> None:
    client = Client()
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    assert _login(client, family.user.email).status_code == 302
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_sign_out_ends_the_server_session(family: Family) -> None:
    key = family.client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    family.client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_a_household_locked_by_the_town_loses_its_sessions(family: Family) -> None:
    key = family.client.session.session_key
    with municipality_scope(family.household.municipality):
        household_access_lock(household=family.household, actor=None)
    assert not Session.objects.filter(session_key=key).exists()
    assert family.client.get(reverse("portal:household")).status_code == 302


def test_an_inactive_login_loses_its_sessions(family: Family) -> None:
    key = family.client.session.session_key
    family.user.is_active = False
    family.user.save()
    assert not Session.objects.filter(session_key=key).exists()
    assert family.client.get(reverse("portal:household")).status_code == 302


def test_a_session_ends_after_30_minutes_idle(family: Family) -> None:
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert family.client.get(reverse("portal:household")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        assert family.client.get(reverse("portal:household")).status_code == 200  # 25 min idle
    with time_machine.travel(timezone.now() + timedelta(minutes=80)):
        response = family.client.get(reverse("portal:household"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_session_ends_12_hours_after_sign_in_whatever_the_activity(family: Family) -> None:
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert family.client.get(reverse("portal:household")).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5)):
        assert family.client.get(reverse("portal:household")).status_code == 302


def test_session_cookie_dies_with_the_browser(family: Family) -> None:
    response = _login(Client(), family.user.email)
    cookie = response.cookies["sessionid"]
    assert not cookie["expires"]
    assert not cookie["max-age"]


@pytest.mark.parametrize(
    "name", ["portal:home", "portal:household", "portal:children", "portal:invoices"]
)
def test_signed_in_pages_are_not_stored(family: Family, name: str) -> None:
    response = family.client.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_production_security_headers_and_cookies(
    family: Family, production: dict[str, Any]
) -> None:
    assert production["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    with override_settings(**production, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        insecure = client.get(reverse("accounts:login"))
        assert insecure.status_code == 301  # HTTP goes to HTTPS
        page = client.get(reverse("accounts:login"), secure=True)
        signed_in = _login(client, family.user.email, secure=True)
        home = client.get(reverse("portal:household"), secure=True)
    assert home.status_code == 200
    for response in (page, home):
        headers = response.headers
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "includeSubDomains" in headers["Strict-Transport-Security"]
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "default-src 'self'" in csp and "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "geolocation=()" in headers["Permissions-Policy"]
        assert "no-store" in headers["Cache-Control"]
    for name in ("sessionid", "csrftoken"):
        cookie = signed_in.cookies[name] if name in signed_in.cookies else page.cookies[name]
        assert cookie["secure"], name
        assert cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name


def test_permissions_policy_on_anonymous_pages(db: None) -> None:
    response = Client().get(reverse("accounts:signup"))
    assert "microphone=()" in response["Permissions-Policy"]
