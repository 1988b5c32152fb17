"""Who acts on ``/api/``: the key of the ``Authorization: Bearer`` header, in its town.

``MunicipalityScopeMiddleware`` asks ``key_acting`` (settings.ACTING_RESOLVERS) and runs the view
inside the key's town scope, as it does for a guardian or an agent; a request without a usable
key acts nowhere and DRF's authentication answers 401 (``authentication.KeyAuthentication``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from espacefamille.accounts.client_address import client_address
from espacefamille.core.acting import Acting, TenantRequest

from .keys import key_from_text
from .models import ApiKey


def bearer_text(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    kind, _space, text = header.partition(" ")
    return text.strip() if kind.lower() == "bearer" else ""


def key_acting(request: HttpRequest) -> Acting[ApiKey] | None:
    text = bearer_text(request)
    if not text:
        return None
    key = key_from_text(text, address=client_address(request))
    if key is None:
        return None
    return Acting(municipality=key.municipality, person=key.actor, membership=key)


class KeyRequest(TenantRequest):
    """A request of the API once a key is checked (for type checking only)."""

    acting: Acting[Any]
