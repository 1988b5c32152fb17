"""A namespaced ``include()`` whose module is imported only when it is needed: when a path under
its prefix is resolved or one of its names is reversed (``reverse("api:docs")``), and not when
the root resolver fills its reverse tables, which every ``{% url %}`` of any page does first.

Django's root resolver "populates" each included resolver while it builds its own tables, and
that imports the included module even though a namespaced include is then only recorded by
its namespace. ``DeferredResolver`` skips that step until one of its own tables is asked for;
``reverse("api:…")`` reads its patterns (``get_ns_resolver``), which imports the module then.
It relies on ``URLResolver``'s internal ``_populate`` (Django 5.2):
``tests/core/test_worker_imports.py`` checks that a fresh worker does not import the API, and
that its paths resolve and its names reverse."""

from __future__ import annotations

from typing import Any

from django.urls.resolvers import RoutePattern, URLResolver


class DeferredResolver(URLResolver):
    _wanted = False  # set for good once one of its own tables is asked for

    def _populate(self) -> None:
        if self._wanted:  # else: called by the parent's tables, which need nothing of ours
            super()._populate()

    @property
    def reverse_dict(self) -> Any:
        self._wanted = True
        return super().reverse_dict

    @property
    def namespace_dict(self) -> Any:
        self._wanted = True
        return super().namespace_dict

    @property
    def app_dict(self) -> Any:
        self._wanted = True
        return super().app_dict


def deferred_include(route: str, module: str, namespace: str) -> DeferredResolver:
    """``path(route, include(module))`` for a module whose ``app_name`` is ``namespace``."""
    return DeferredResolver(
        RoutePattern(route, is_endpoint=False), module, app_name=namespace, namespace=namespace
    )
