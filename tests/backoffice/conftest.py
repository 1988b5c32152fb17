"""Agents for the back-office tests: one per role, signed in (password + second factor
already passed) through a test client, and a TOTP code helper."""

from __future__ import annotations

import base64
import html
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from espacefamille.accounts.agents import agent_create
from espacefamille.accounts.models import AgentRole, User
from espacefamille.backoffice.acting import LAST_SEEN_KEY
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from ..factories import PASSWORD


@dataclass
class Agent:
    user: User
    role: AgentRole
    secret: str
    client: Client


def totp_code(secret: str, *, at: float | None = None) -> str:
    padded = secret + "=" * (-len(secret) % 8)
    totp = TOTP(base64.b32decode(padded))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def sign_in_client(user: User) -> Client:
    """A client whose session passed both steps (as the sign-in views leave it)."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[LAST_SEEN_KEY] = time.time()
    session.save()
    return client


def make_agent(
    town: Municipality, role: str, *, email: str | None = None, sites: list[str] | None = None
) -> Agent:
    email = email or f"{role}.{town.slug}@example.org"
    with municipality_scope(town):
        enrolment = agent_create(
            municipality=town,
            actor=None,
            email=email,
            first_name="Alex",
            last_name=role.upper(),
            role=role,
            sites=sites or [],
            password=PASSWORD,
        )
    secret = enrolment.secrets.secret if enrolment.secrets else ""
    user = enrolment.agent_role.user
    return Agent(user, enrolment.agent_role, secret, sign_in_client(user))


@pytest.fixture
def agent_factory(town: Municipality) -> Callable[..., Agent]:
    def build(role: str = "administrator", **kwargs: object) -> Agent:
        return make_agent(town, role, **kwargs)  # type: ignore[arg-type]

    return build


@pytest.fixture
def administrator(town: Municipality) -> Agent:
    return make_agent(town, "administrator")


@pytest.fixture
def regie(town: Municipality) -> Agent:
    return make_agent(town, "regie")


@pytest.fixture
def facilitator(town: Municipality) -> Agent:
    return make_agent(town, "facilitator", sites=["École Jules Ferry"])


def page_text(response: object) -> str:
    """The page's HTML with entities decoded (Django escapes apostrophes)."""
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    """Argon2 is deliberately slow; these tests create many logins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
