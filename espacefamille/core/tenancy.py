"""How a request or a job chooses its municipality.

Every tenant-scoped query runs inside ``django_scopes.scope(municipality=<id>)``; outside one, the
query raises ``ScopeError``. Management commands and tasks open the scope they need explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django_scopes import scope, scopes_disabled

from .models import Municipality

SESSION_KEY = "municipality_id"


@contextmanager
def municipality_scope(municipality: Municipality | int) -> Iterator[None]:
    """Activate the scope of one municipality (never ``None``: that would disable filtering)."""
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    if not municipality_id:
        raise ValueError("A municipality scope needs a saved municipality.")
    with scope(municipality=municipality_id):
        yield


__all__ = ["SESSION_KEY", "municipality_scope", "scopes_disabled"]
