"""Who acts, and in which town, for one request.

Each front door (the family portal, the agents' back office, later the API) resolves the acting
person from its own kind of membership — a family's guardian, an agent's role in a town, a
token — and hands core an ``Acting``. Core only opens that town's scope: it knows no domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.http import HttpRequest

from .models import Municipality

if TYPE_CHECKING:
    # django-stubs resolves this alias to settings.AUTH_USER_MODEL (core imports no app).
    from django.contrib.auth.models import _User

M = TypeVar("M")


@dataclass(frozen=True)
class Acting(Generic[M]):
    """The person acting, the town they act in, and the membership that entitles them (``M``:
    a Guardian, an AgentRole, a token…)."""

    municipality: Municipality
    person: _User  # the signed-in login (settings.AUTH_USER_MODEL)
    membership: M


ActingResolver = Callable[[HttpRequest], Acting[Any] | None]


class TenantRequest(HttpRequest):
    """A request as ``MunicipalityScopeMiddleware`` leaves it, for type checking only: Django
    passes its own ``HttpRequest`` and the middleware sets these attributes on it (``None``
    when nobody acts). Each front door declares its own subclass (``PortalRequest``,
    ``AgentRequest``) with what its resolver and its decorator guarantee."""

    acting: Acting[Any] | None
    municipality: Municipality | None
