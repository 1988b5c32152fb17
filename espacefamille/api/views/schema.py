"""The schema (OpenAPI 3, YAML; JSON with ``?format=json``) and its browsable docs, open to all
(no key: they describe, they show no data). The docs are Swagger UI served from the project's
own static files (drf-spectacular-sidecar) with its start-up script as a file of its own, so
the page needs no CDN and the strict CSP (``script-src 'self'``) holds."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from espacefamille.core.service_calls import problem_details

from ..errors import ApiError, ApiReason
from ..problems import PROBLEM_JSON


class SchemaView(SpectacularAPIView):
    authentication_classes = ()
    permission_classes = ()
    throttle_classes = ()


class DocsView(SpectacularSwaggerSplitView):
    authentication_classes = ()
    permission_classes = ()
    throttle_classes = ()
    template_name = "api/docs.html"
    title = "Espace Famille — API"


@csrf_exempt
def unknown_route(request: HttpRequest) -> JsonResponse:
    status, body = problem_details(ApiError(ApiReason.NOT_FOUND, _("Introuvable.")))
    return JsonResponse(body, status=status, content_type=PROBLEM_JSON)
