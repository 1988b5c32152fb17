"""Who acts, and in which town, for one request.

Each front door (the family portal, the agents' back office, later the API) resolves the acting
person from its own kind of membership — a family's guardian, an agent's role in a town, a
token — and hands core an ``Acting``. Core only opens that town's scope: it knows no domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .models import Municipality


@dataclass(frozen=True)
class Acting:
    """The person acting, the town they act in, and the membership that entitles them."""

    municipality: Municipality
    person: Any  # the signed-in login (settings.AUTH_USER_MODEL)
    membership: Any  # a Guardian, an AgentRole, a token…


ActingResolver = Callable[[HttpRequest], Acting | None]


class TenantRequest(HttpRequest):
    """A request as ``MunicipalityScopeMiddleware`` leaves it, for type checking only: Django
    passes its own ``HttpRequest`` and the middleware sets these attributes on it (``None``
    when nobody acts). Each front door declares its own subclass (``PortalRequest``,
    ``AgentRequest``) with what its resolver and its decorator guarantee."""

    acting: Acting | None
    municipality: Municipality | None
