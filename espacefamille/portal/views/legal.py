"""Public pages every French public service online must show, linked from every footer:
"Données personnelles" (RGPD art. 13: who, which data, why, how long, the family's rights) and
"Accessibilité" (the accessibility statement, loi du 11 février 2005 art. 47, RGAA 4.1). Open
without signing in; the current town's details when there is one, every town's otherwise."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from espacefamille.core.models import Municipality


def _towns(request: HttpRequest) -> list[Municipality]:
    current = getattr(request, "municipality", None)
    return [current] if current else list(Municipality.objects.all())


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/legal/privacy.html", {"towns": _towns(request)})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/legal/accessibility.html",
        {"towns": _towns(request), "compliance": settings.ACCESSIBILITY_COMPLIANCE},
    )
