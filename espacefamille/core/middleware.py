"""Per-request tenancy: pick the current municipality and scope every query to it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .tenancy import municipality_scope, scopes_disabled


class MunicipalityScopeMiddleware:
    """Sets ``request.municipality`` and ``request.household`` for a signed-in family, and runs
    the view inside that municipality's scope. Without a household no scope is active, so a
    tenant-scoped query raises instead of leaking rows of another town."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from espacefamille.households.selectors import household_memberships

        request.municipality = None  # type: ignore[attr-defined]
        request.household = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if request.path.startswith("/admin/") and user is not None and user.is_superuser:
            with scopes_disabled():
                return self.get_response(request)
        if user is None or not user.is_authenticated:
            return self.get_response(request)

        memberships = household_memberships(user=user)
        request.memberships = memberships  # type: ignore[attr-defined]
        if not memberships:
            return self.get_response(request)
        wanted = request.session.get("municipality_id")
        current = next((m for m in memberships if m.municipality.pk == wanted), memberships[0])
        request.municipality = current.municipality  # type: ignore[attr-defined]
        request.household = current.household  # type: ignore[attr-defined]
        with municipality_scope(current.municipality):
            return self.get_response(request)
