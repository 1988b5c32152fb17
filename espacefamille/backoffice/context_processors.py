"""The back office's navigation, filtered by the agent's role (empty outside the back office)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .permissions import Area, role_allows

NAVIGATION = [
    (Area.HOME, "backoffice:home", "Accueil"),
    (Area.DASHBOARD, "backoffice:dashboard", "Tableau de bord"),
    (Area.HOUSEHOLDS, "backoffice:households", "Foyers"),
    (Area.INQUIRIES, "backoffice:inquiries", "Demandes des familles"),
    (Area.NEWS, "backoffice:news", "Actualités"),
    (Area.NEWS, "backoffice:town_messages", "Messages aux familles"),
    (Area.BOOKINGS, "backoffice:booking_day", "Réservations"),
    (Area.BOOKINGS, "backoffice:booking_requests", "Réservations à valider"),
    (Area.INVOICING, "backoffice:invoicing", "Facturation"),
    (Area.ATTENDANCE, "backoffice:attendance", "Pointage"),
    (Area.KITCHEN, "backoffice:kitchen", "Commandes de repas"),
    (Area.CONFIGURATION, "backoffice:configuration", "Configuration"),
    (Area.AGENTS, "backoffice:agents", "Agents"),
    (Area.ACTION_LOG, "backoffice:action_log", "Journal des actions"),
]


def backoffice(request: HttpRequest) -> dict[str, Any]:
    role = getattr(request, "agent_role", None)
    if role is None:
        return {}
    items = []
    for area, url_name, label in NAVIGATION:
        if not role_allows(role, area):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        current = request.path == url if area == Area.HOME else request.path.startswith(url)
        items.append({"url": url, "label": _(label), "active": current})
    return {
        "base_template": "backoffice/base.html",
        "agent_nav": items,
        "agent_role": role,
        "agent_roles": getattr(request, "agent_roles", []),
    }
