"""How a request or a job chooses its municipality.

Every tenant-scoped query runs inside ``django_scopes.scope(municipality=<id>)``; outside one, the
query raises ``ScopeError``. Management commands and tasks open the scope they need explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django_scopes import scope, scopes_disabled

from .models import Municipality

SESSION_KEY = "municipality_id"

# The town's row as the current request's front door read it (MunicipalityScopeMiddleware).
_request_town: ContextVar[Municipality | None] = ContextVar("request_town", default=None)


@contextmanager
def municipality_scope(municipality: Municipality | int) -> Iterator[None]:
    """Activate the scope of one municipality (never ``None``: that would disable filtering)."""
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    if not municipality_id:
        raise ValueError("A municipality scope needs a saved municipality.")
    with scope(municipality=municipality_id):
        yield


@contextmanager
def request_town_set(municipality: Municipality) -> Iterator[None]:
    """For the request's duration: ``municipality`` is the town's row its front door has just
    read (MunicipalityScopeMiddleware; the resolvers read it with the acting membership)."""
    token = _request_town.set(municipality)
    try:
        yield
    finally:
        _request_town.reset(token)


def request_town() -> Municipality | None:
    """The town's row read when the current request began, or None outside a request (tasks,
    commands): no older than the request, unlike a row a caller may have kept."""
    return _request_town.get()


__all__ = [
    "SESSION_KEY",
    "municipality_scope",
    "request_town",
    "request_town_set",
    "scopes_disabled",
]
