"""Which back-office screens each role opens. The table is the single source for the views'
decorator, the navigation and the permission tests.

- administrator: everything in the town;
- régie agent: households, bookings, attendance, kitchen counts, invoicing, the dashboard,
  news posts and family requests;
- facilitator ("animateur"): attendance of their own sites only (``AgentRole.sites``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from espacefamille.accounts.models import AgentRole, AgentRoleKind

from .acting import AgentRequest

P = ParamSpec("P")


class Area(StrEnum):
    HOME = "home"
    HOUSEHOLDS = "households"
    CONFIGURATION = "configuration"
    AGENTS = "agents"
    ACTION_LOG = "action_log"
    NEWS = "news"
    INQUIRIES = "inquiries"
    BOOKINGS = "bookings"
    ATTENDANCE = "attendance"
    KITCHEN = "kitchen"
    INVOICING = "invoicing"
    DASHBOARD = "dashboard"


ROLE_AREAS: dict[str, frozenset[Area]] = {
    AgentRoleKind.ADMINISTRATOR: frozenset(Area),
    AgentRoleKind.REGIE: frozenset(
        {
            Area.HOME,
            Area.HOUSEHOLDS,
            Area.BOOKINGS,
            Area.NEWS,
            Area.INQUIRIES,
            Area.ATTENDANCE,
            Area.KITCHEN,
            Area.INVOICING,
            Area.DASHBOARD,
        }
    ),
    AgentRoleKind.FACILITATOR: frozenset({Area.HOME, Area.ATTENDANCE}),
}


def role_allows(role: AgentRole | None, area: Area) -> bool:
    return role is not None and area in ROLE_AREAS.get(role.role, frozenset())


def agent_required(
    area: Area,
) -> Callable[
    [Callable[Concatenate[AgentRequest, P], HttpResponse]],
    Callable[Concatenate[HttpRequest, P], HttpResponse],
]:
    """A verified agent of the current town whose role opens ``area``: otherwise the sign-in
    page (not signed in, or idle too long) or 403 (signed in, outside the role). The view
    receives an ``AgentRequest``."""

    def decorator(
        view: Callable[Concatenate[AgentRequest, P], HttpResponse],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            role = getattr(request, "agent_role", None)
            if role is None:
                if getattr(request, "agent_session_expired", False):
                    messages.info(
                        request, _("Votre session a expiré après 30 minutes d'inactivité.")
                    )
                return redirect("backoffice:sign_in")
            if not role_allows(role, area):
                raise PermissionDenied
            return view(cast(AgentRequest, request), *args, **kwargs)

        return wrapper

    return decorator
