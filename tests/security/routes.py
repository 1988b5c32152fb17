"""Every route of the URLconf, read from ``get_resolver()`` so a new route joins the fuzzing on
its own, with who may reach it and how its URL parameters are filled.

A route is fuzzed by the actors of its prefix (``ACTORS``) unless it is in ``EXCLUDED`` with a
reason. A route whose parameters the fuzzer cannot fill (an unknown converter) and that is not
excluded makes ``test_every_route_is_fuzzed_or_excluded`` fail."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# Converters the fuzzer knows how to fill (tests/security/test_every_route_fuzzed.py).
FILLABLE_CONVERTERS = frozenset(
    {"IntConverter", "RowIdConverter", "SlugConverter", "StringConverter"}
)

# (route prefix, reason): left out on purpose.
EXCLUDED: list[tuple[str, str]] = [
    ("admin/", "Django's admin: superusers only, Django's own forms"),
    ("^media/", "DEBUG-only static serving of uploads (django.conf.urls.static)"),
    (
        "deconnexion/",
        "signs the fuzzing client out; tests/security/test_sessions_and_headers.py checks it",
    ),
    (
        "api/v1/^",
        "the API's catch-all: a problem+json 404 for a path no route matches (an id that is no "
        "number); tests/api/test_schemathesis.py sends it such paths",
    ),
    (
        "agents/deconnexion/",
        "signs the fuzzing agent out; tests/backoffice/test_sign_in.py checks it",
    ),
]

# Exclusions of routes that exist only in some settings (DEBUG), not stale when absent.
CONDITIONAL = frozenset({"^media/"})

# Who fuzzes which routes: the first matching prefix wins.
ACTORS: list[tuple[str, tuple[str, ...]]] = [
    ("agents/", ("agent",)),
    ("paiement/", ("anonymous",)),  # the bank's notifications and returns: nobody signed in
    # The open API answers a key, never a session: fuzzed here without one (401, the schema,
    # the docs); with keys of each scope by tests/api/test_schemathesis.py.
    ("api/", ("anonymous",)),
    ("", ("family", "anonymous")),
]


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "foyer/enfants/<int:pk>/"
    name: str  # e.g. "portal:child_edit"
    converters: dict[str, str]  # parameter → converter class name

    @property
    def exclusion(self) -> str | None:
        return next((why for prefix, why in EXCLUDED if self.route.startswith(prefix)), None)

    @property
    def actors(self) -> tuple[str, ...]:
        return next(actors for prefix, actors in ACTORS if self.route.startswith(prefix))

    @property
    def fillable(self) -> bool:
        return all(name in FILLABLE_CONVERTERS for name in self.converters.values())


def _converters(pattern: URLPattern | URLResolver) -> dict[str, str]:
    if isinstance(pattern.pattern, RoutePattern):
        return {key: type(value).__name__ for key, value in pattern.pattern.converters.items()}
    return {"<regex>": "RegexPattern"}


def _walk(resolver: URLResolver, prefix: str, namespace: str, outer: dict[str, str]) -> list[Route]:
    found: list[Route] = []
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        converters = {**outer, **_converters(pattern)}
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _walk(pattern, text, inner, converters)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append(Route(text, name or "", converters))
    return found


def all_routes() -> list[Route]:
    return _walk(get_resolver(), "", "", {})


def fuzzed_routes(actor: str) -> list[Route]:
    return [r for r in all_routes() if r.exclusion is None and r.fillable and actor in r.actors]
