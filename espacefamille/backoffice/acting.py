"""The back office's acting identity: a login verified with its second factor that holds an
active agent role in the town chosen for this session. Also ends agent sessions idle for
longer than ``settings.AGENT_IDLE_TIMEOUT`` (30 minutes): on the server, from the session's own
clock; the cookie itself, like the family's, dies with the browser (no ``Max-Age``)."""

from __future__ import annotations

import time
from typing import cast

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from espacefamille.accounts.models import AgentRole, User
from espacefamille.configuration.agents import agent_roles_of
from espacefamille.core.acting import Acting, TenantRequest
from espacefamille.core.models import Municipality

TOWN_KEY = "agent_municipality_id"
LAST_SEEN_KEY = "agent_last_seen"
TOUCH_EVERY = 60  # seconds: refresh the idle clock at most once a minute


class AnyAgentRequest(TenantRequest):
    """Any request of the back office, as ``agent_acting`` leaves it (for type checking only:
    the object is Django's own request). ``agent_role`` is ``None`` when no agent acts."""

    agent_role: AgentRole | None
    agent_roles: list[AgentRole]
    agent_session_expired: bool
    htmx: HtmxDetails


class AgentRequest(AnyAgentRequest):
    """A back-office request that ``agent_required`` let through: a verified login acting in
    ``municipality`` with ``agent_role`` (also ``acting.membership``)."""

    user: User
    acting: Acting[AgentRole]
    municipality: Municipality
    agent_role: AgentRole


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


def agent_acting(request: HttpRequest) -> Acting[AgentRole] | None:
    agent = cast(AnyAgentRequest, request)  # the attributes are set here
    agent.agent_role = None
    agent.agent_roles = []
    agent.agent_session_expired = False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return None
    roles = agent_roles_of(user=user)
    if not roles:
        return None
    if _idle_expired(request):
        logout(request)
        agent.agent_session_expired = True
        return None
    wanted = request.session.get(TOWN_KEY)
    current = next((role for role in roles if role.municipality_id == wanted), roles[0])
    agent.agent_role = current
    agent.agent_roles = roles
    return Acting(municipality=current.municipality, person=user, membership=current)
