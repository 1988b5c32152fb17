"""The schema (OpenAPI 3, YAML; JSON with ``?format=json``) and its browsable docs, open to all
(no key: they describe, they show no data). The docs are Swagger UI served from the project's
own static files (drf-spectacular-sidecar) with its start-up script as a file of its own, so
the page needs no CDN and the strict CSP (``script-src 'self'``) holds."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


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
