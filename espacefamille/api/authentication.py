"""DRF's side of the key: who acts (already resolved by ``acting.key_acting``), which scope an
operation needs, and how often a key may call (per key, a window of a minute, answered 429 with
``Retry-After``).

The rate counts in Django's cache: with several worker processes, give them a shared cache
(``CACHES``) for the limit to hold across them; with the default per-process cache each worker
counts its own requests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiKey
from .scopes import Scope


class KeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        acting = getattr(request._request, "acting", None)
        if acting is None or not isinstance(acting.membership, ApiKey):
            if request._request.headers.get("Authorization"):
                raise exceptions.AuthenticationFailed(
                    _("Clé API inconnue, révoquée, expirée ou refusée depuis cette adresse."),
                    code="not_authenticated",
                )
            return None
        return acting.person, acting.membership

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def key_of(request: Request) -> ApiKey:
    key = request.auth
    assert isinstance(key, ApiKey)
    return key


class ScopeRequired(BasePermission):
    """The view names the scope of each method in ``scopes`` (``{"GET": Scope.X}``); a method
    not named is refused (so a new method without its scope is not open by mistake)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, ApiKey):
            raise exceptions.NotAuthenticated(
                _("Une clé API est nécessaire (en-tête Authorization: Bearer <clé>)."),
                code="not_authenticated",
            )
        needed: Scope | None = getattr(view, "scopes", {}).get(request.method)
        if request.method in ("HEAD", "OPTIONS"):
            needed = getattr(view, "scopes", {}).get("GET")
        if needed is None or str(needed) not in request.auth.scopes:
            raise exceptions.PermissionDenied(
                _("Cette clé n'a pas le droit « %(scope)s ».") % {"scope": needed or "?"},
                code="scope_missing",
            )
        return True


class KeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"

    def get_rate(self) -> str:
        return str(getattr(settings, "API_RATE_LIMIT", "600/min"))

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return f"api-rate:{request.auth.pk}"
