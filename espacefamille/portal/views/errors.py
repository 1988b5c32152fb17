from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(render_to_string("errors/404.html", request=request), status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(render_to_string("errors/403.html", request=request), status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may come from them.
    return HttpResponse(render_to_string("errors/500.html"), status=500)
