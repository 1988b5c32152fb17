"""The installable portal: the web app manifest, the service worker (served from the root so
that its scope is the whole portal) and the list of pages it keeps for reading offline.

Offline, a family reads the current and next week of each child's agenda as they were when
last seen online; nothing else is kept. The list comes from this server for the household
signed in, with a key of that household: the worker empties its pages when the key changes
(another household, another town) and when the family signs out (portal.js, and the
``Clear-Site-Data`` header of the sign-out answer)."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from espacefamille.bookings.selectors import household_enrollment_rows

from ..acting import PortalRequest
from ..decorators import household_required
from .agenda_state import default_monday

SHELL_FILES = [
    "espacefamille/tokens.css",
    "espacefamille/portal.css",
    "espacefamille/bookings.css",
    "espacefamille/portal.js",
    "espacefamille/bookings.js",
    "espacefamille/icons/icon-192.png",
    "espacefamille/icons/icon-512.png",
]
ICON_SIZES = (192, 512)
THEME_COLOUR = "#1d4e89"


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    town = getattr(request, "municipality", None)
    colour = (town.main_colour if town is not None else "") or THEME_COLOUR
    name = _("Espace Famille")
    body = {
        "name": f"{name} — {town.name}" if town is not None else name,
        "short_name": name,
        "description": _("Réservations, factures et demandes de votre famille."),
        "lang": "fr",
        "dir": "ltr",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": colour,
        "icons": [
            {
                "src": static(f"espacefamille/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in ICON_SIZES
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "no-cache"
    return response


@cache
def _worker_source() -> str:
    return (Path(__file__).parent.parent / "service_worker.js").read_text(encoding="utf-8")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    settings_lines = (
        '"use strict";\n'
        f"var SHELL = {json.dumps([static(path) for path in SHELL_FILES])};\n"
        f"var AGENDA_URL = {json.dumps(reverse('portal:agenda'))};\n"
        f"var ICON_URL = {json.dumps(static('espacefamille/icons/icon-192.png'))};\n"
    )
    response = HttpResponse(
        settings_lines + _worker_source(), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def household_key(request: PortalRequest) -> str:
    """Opaque, stable for one login and one household file, different for any other."""
    return salted_hmac(
        "espacefamille.offline.household", f"{request.user.pk}:{request.household.pk}"
    ).hexdigest()[:24]


def offline_page_urls(request: PortalRequest) -> list[str]:
    """ "Mes réservations" as the menu opens it, and for each child and service of the
    household, its current and next week."""
    agenda = reverse("portal:agenda")
    monday = default_monday(timezone.localdate())
    pairs = dict.fromkeys(
        (row.service_id, row.child_id)
        for row in household_enrollment_rows(household=request.household)
    )
    urls = [agenda]
    for service_id, child_id in pairs:
        for week in (monday, monday + timedelta(days=7)):
            params = {"service": service_id, "enfant": child_id, "semaine": week.isoformat()}
            urls.append(f"{agenda}?{urlencode(params)}")
    return urls


@require_GET
@household_required
def offline_pages(request: PortalRequest) -> HttpResponse:
    response = JsonResponse(
        {"household": household_key(request), "pages": offline_page_urls(request)}
    )
    response["Cache-Control"] = "private, no-store"
    return response
