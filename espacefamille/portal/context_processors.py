"""The family menu and the current town, household and memberships for the portal's base
template (empty outside the portal's signed-in pages)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .acting import AnyPortalRequest
from .views.town_look import town_look_links

# The family menu of the seed guides: six sections, each one tap away on a phone (the town's
# messages are reached from "Actualités" and the home). An entry shows once the URL it points
# to exists, so entries whose issue has not landed yet stay hidden.
MENU = [
    ("actualites", "news:list", "Actualités"),
    ("reservations", "portal:agenda", "Mes réservations"),
    ("factures", "portal:invoices", "Mes factures"),
    ("demandes", "inquiries:list", "Mes demandes"),
    ("foyer", "portal:household", "Gestion du foyer"),
    ("contacts", "portal:contacts", "Contacts"),
]


def _menu(request: HttpRequest) -> list[dict[str, Any]]:
    items = []
    for key, url_name, label in MENU:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "key": key,
                "url": url,
                "label": _(label),
                "active": request.path.startswith(url) and url != "/",
            }
        )
    return items


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(request, "household", None):
        return {"menu": []}
    portal = cast(AnyPortalRequest, request)  # a household: family_acting set these
    return {
        "menu": _menu(request),
        "current_municipality": portal.municipality,
        "current_household": portal.household,
        "memberships": portal.memberships,
        "town_look": town_look_links(portal.municipality),
    }
