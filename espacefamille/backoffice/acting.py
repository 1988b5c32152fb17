"""The back office's acting identity: a login verified with its second factor that holds an
active agent role in the town chosen for this session. Also ends agent sessions idle for
longer than ``settings.AGENT_IDLE_TIMEOUT`` (30 minutes): on the server, from the session's own
clock; the cookie itself, like the family's, dies with the browser (no ``Max-Age``)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest

from espacefamille.configuration.agents import agent_roles_of
from espacefamille.core.acting import Acting

TOWN_KEY = "agent_municipality_id"
LAST_SEEN_KEY = "agent_last_seen"
TOUCH_EVERY = 60  # seconds: refresh the idle clock at most once a minute


def agent_session_start(request: HttpRequest) -> None:
    """Called right after an agent's sign-in: the idle clock starts (``agent_acting`` signs
    the agent out after ``AGENT_IDLE_TIMEOUT`` without a request) and the cookie is a browser
    session's (``set_expiry(0)``: neither ``Max-Age`` nor ``Expires``; the server-side row
    still expires after ``SESSION_COOKIE_AGE``)."""
    request.session[LAST_SEEN_KEY] = time.time()
    request.session.set_expiry(0)


def _idle_expired(request: HttpRequest) -> bool:
    last_seen = request.session.get(LAST_SEEN_KEY)
    now = time.time()
    if last_seen is None or now - last_seen > settings.AGENT_IDLE_TIMEOUT.total_seconds():
        return True
    if now - last_seen > TOUCH_EVERY:
        request.session[LAST_SEEN_KEY] = now
    return False


def agent_acting(request: HttpRequest) -> Acting | None:
    request.agent_role = None  # type: ignore[attr-defined]
    request.agent_roles = []  # type: ignore[attr-defined]
    request.agent_session_expired = False  # type: ignore[attr-defined]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return None
    roles = agent_roles_of(user=user)
    if not roles:
        return None
    if _idle_expired(request):
        logout(request)
        request.agent_session_expired = True  # type: ignore[attr-defined]
        return None
    wanted = request.session.get(TOWN_KEY)
    current = next((role for role in roles if role.municipality_id == wanted), roles[0])
    request.agent_role = current  # type: ignore[attr-defined]
    request.agent_roles = roles  # type: ignore[attr-defined]
    return Acting(municipality=current.municipality, person=user, membership=current)
