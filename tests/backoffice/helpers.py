"""Helpers of the back-office tests (also used by the browser journeys): an agent signed in
through a test client (password and second factor already passed), TOTP codes, page text."""

from __future__ import annotations

import base64
import html
import time
from dataclasses import dataclass

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from espacefamille.accounts.models import AgentRole, User
from espacefamille.accounts.two_factor import device_provision
from espacefamille.backoffice.acting import LAST_SEEN_KEY
from espacefamille.configuration.agents import agent_create
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from ..factories import PASSWORD, site_named


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


def superuser_client(user: User) -> Client:
    """A superuser's client that passed the admin's second factor (a device is given first)."""
    device_provision(user=user)
    return sign_in_client(user)


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
            sites=[site_named(town, name) for name in sites or []],
            password=PASSWORD,
        )
    secret = enrolment.secrets.secret if enrolment.secrets else ""
    user = enrolment.agent_role.user
    return Agent(user, enrolment.agent_role, secret, sign_in_client(user))


def page_text(response: object) -> str:
    """The page's HTML with entities decoded (Django escapes apostrophes)."""
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]
