"""Per-request tenancy: ask the front door that owns the URL who acts and where, then run the
view inside that municipality's scope.

The resolvers are named in ``settings.ACTING_RESOLVERS`` as ``(path prefix, dotted path)``
pairs, the first matching prefix wins; core imports none of them itself, so the tenant layer
depends on no domain app."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.module_loading import import_string

from .acting import ActingResolver, TenantRequest
from .choice_fields import MAX_ID
from .tenancy import municipality_scope, request_town_set, scopes_disabled


class MunicipalityScopeMiddleware:
    """Sets ``request.acting`` and ``request.municipality`` from the front door's resolver and
    runs the view inside that municipality's scope (``tenancy.request_town``: the resolvers
    read the town's row with the membership, for each request). Without an acting membership
    no scope is active, so a tenant-scoped query raises instead of leaking rows of another
    town."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.resolvers: list[tuple[str, ActingResolver]] = [
            (prefix, import_string(dotted)) for prefix, dotted in settings.ACTING_RESOLVERS
        ]

    def resolver_for(self, path: str) -> ActingResolver | None:
        return next((found for prefix, found in self.resolvers if path.startswith(prefix)), None)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = cast(TenantRequest, request)  # the attributes are set here
        tenant.acting = None
        tenant.municipality = None
        user = getattr(request, "user", None)
        if request.path.startswith("/admin/") and user is not None and user.is_superuser:
            with scopes_disabled():
                return self.get_response(request)
        resolver = self.resolver_for(request.path)
        acting = resolver(request) if resolver is not None else None
        if acting is None:
            return self.get_response(request)
        tenant.acting = acting
        tenant.municipality = acting.municipality
        with municipality_scope(acting.municipality), request_town_set(acting.municipality):
            return self.get_response(request)


class PrivatePagesMiddleware:
    """Security headers Django does not set: ``Permissions-Policy`` on every response (no
    camera, microphone, geolocation… for any page), and ``Cache-Control: no-store`` on every
    response to a signed-in user, so a shared computer's cache or back button keeps no
    household page (invoices, children, health data). Placed first in ``MIDDLEWARE`` so it sees
    the final response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class BoundedUrlIdsMiddleware:
    """An ``<int:…>`` of the URL beyond 2**63 - 1 matches no row: answer 404 before the view
    runs. SQLite raises OverflowError for such a number in a query (``post_id=pk``), a 500
    (found by tests/security/test_every_route_fuzzed.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> None:
        if any(isinstance(value, int) and value > MAX_ID for value in (*args, *kwargs.values())):
            raise Http404
