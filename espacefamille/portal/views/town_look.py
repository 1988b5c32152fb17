"""A town's own look, public like its name: the stylesheet of its palette (core/palette.py,
from the main colour its administrator picked) and its logo. Both are linked from every
page of the town with a version in the address, so browsers keep them."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from espacefamille.core.models import Municipality
from espacefamille.core.palette import palette_stylesheet

A_YEAR = 365 * 24 * 3600


def _town(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug)


def _long_lived(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={A_YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def town_stylesheet(request: HttpRequest, slug: str) -> HttpResponse:
    town = _town(slug)
    if not town.main_colour:
        raise Http404
    return _long_lived(
        HttpResponse(palette_stylesheet(town.main_colour), content_type="text/css; charset=utf-8")
    )


@require_GET
def town_logo(request: HttpRequest, slug: str) -> HttpResponse:
    town = _town(slug)
    if not town.logo or town.logo_type not in {"image/png", "image/jpeg"}:
        raise Http404
    with town.logo.open("rb") as handle:
        content = handle.read()
    return _long_lived(HttpResponse(content, content_type=town.logo_type))


def town_look_links(town: Municipality | None) -> dict[str, Any] | None:
    """What the base template links for ``town``: its palette and logo (None: the default)."""
    if town is None or not (town.main_colour or town.logo):
        return None
    logo_name = (town.logo.name or "").rsplit("/", 1)[-1]
    version = f"{town.main_colour.lstrip('#')}-{logo_name}"
    return {
        "stylesheet_url": (
            f"{reverse('portal:town_stylesheet', args=[town.slug])}?v={version}"
            if town.main_colour
            else ""
        ),
        "logo_url": (
            f"{reverse('portal:town_logo', args=[town.slug])}?v={version}" if town.logo else ""
        ),
        "theme_colour": town.main_colour or "#1d4e89",
    }
