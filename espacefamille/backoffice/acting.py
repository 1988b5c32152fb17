"""The back office's acting identity: a login verified with its second factor that holds an
active agent role in the town chosen for this session. Also ends agent sessions idle for
longer than ``settings.AGENT_IDLE_TIMEOUT`` (30 minutes)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest

from espacefamille.accounts.agents import agent_roles_of
from espacefamille.core.acting import Acting

TOWN_KEY = "agent_municipality_id"
LAST_SEEN_KEY = "agent_last_seen"
TOUCH_EVERY = 60  # seconds: refresh the idle clock at most once a minute


def agent_session_start(request: HttpRequest) -> None:
    """Called right after an agent's sign-in: the session dies after the idle timeout."""
    request.session[LAST_SEEN_KEY] = time.time()
    request.session.set_expiry(int(settings.AGENT_IDLE_TIMEOUT.total_seconds()))


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
