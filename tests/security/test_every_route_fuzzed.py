"""No input makes a page fail (issue 7, item 3; extended by issue 15).

Every route of the URLconf (``tests/security/routes.py`` walks ``get_resolver()``, so a new
route joins on its own) is fuzzed by each actor that can reach it: a signed-in family, a
signed-in town administrator, régie agent and facilitator, an anonymous visitor (the bank's
notifications are anonymous too). Two parts per route and actor:

- the sweep (deterministic, ``hostile.py``): every parameter of the route — the fields of its
  page's forms and of the forms other pages post to it, its links' query parameters, the names
  its view reads (``tapped_at`` is set by a script, on no form), the query string of the role ×
  screen table — gets every hostile value of its kind one at a time, the others as the page
  offers them: ISO and French dates at the ends of Python's range (``0001-01-01``,
  ``0001-01-07``, ``9999-12-31``, datetimes), both ends of a period at once, ids that are no
  ASCII number (``²``); dates in the URL's path too. Every failing request
  of a test is listed together at its end;
- the random part (hypothesis): the URL parameters (the actor's own objects, ids of other
  households and towns, 0, ids beyond 64 bits, odd slugs) and every form of the page (empty,
  huge, control and non-Latin characters, wrong types, dates in both formats, negative and
  enormous numbers, other households' and towns' ids, random files under hostile names and
  content types), for the administrator, the family and the anonymous visitor (every agent
  role in the deep profile).

``test_raw_requests_never_fail`` sends what no form sends: invalid UTF-8 in paths, query
strings and bodies, a multipart body without its boundary, odd headers. The XSS scan per role
is ``test_markup_escaped.py``.

Each request is checked:
- never a 5xx (the test client re-raises any exception a view lets escape);
- a refused submission (4xx, or a form shown again with errors) writes nothing: no INSERT,
  UPDATE or DELETE reaches a table of the domain;
- a POST without its CSRF token is refused (403) and writes nothing;
- another household's or town's object answers 404.

Profiles. The default run is deterministic (``derandomize=True``: the same examples on every
run, so that CI never surfaces a new random finding; the sweep is deterministic by
construction) and tries ``ROUTE_EXAMPLES`` = 2 examples per route and actor (the sweep carries the
hostile values that found issue 15's defects).
``HYPOTHESIS_PROFILE=deep`` (registered in ``tests/conftest.py``) explores at random, 30
examples per route and actor and every agent role, for a nightly run."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms import BaseForm
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from espacefamille.accounts.models import AgentRole, User
from espacefamille.catalog.models import Enrollment
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope, scopes_disabled
from espacefamille.households.models import AuthorizedPickup, ChildHousehold, EmergencyContact

from ..backoffice.helpers import make_agent, sign_in_client
from ..backoffice.screens import Objects, post_actions, screens, town_objects
from ..conftest import make_family
from ..factories import (
    ChildFactory,
    GuardianFactory,
    HouseholdFactory,
    MunicipalityFactory,
    site_named,
)
from .hostile import (
    DATE_EXTREMES,
    DATE_NAME,
    ID_EXTREMES,
    UPLOAD_NAMES,
    UPLOAD_TYPES,
    merge,
    self_links,
    sendable_name,
    sweep_requests,
    view_parameters,
)
from .routes import CONDITIONAL, EXCLUDED, Route, all_routes, fuzzed_routes

pytestmark = pytest.mark.django_db

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
ROUTE_EXAMPLES = 30 if DEEP else 2
# Tables a refused request may still write: the session (idle clock), sign-in throttling
# and join-code throttling (axes, accounts_*attempt, accounts_loginfailure), second-factor
# throttling (otp).
WRITABLE_ON_REFUSAL = re.compile(
    r"^(django_session|axes_\w+|otp_\w+"
    r"|accounts_loginfailure|accounts_signupattempt|accounts_joincodeattempt)$"
)
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
FIELD = re.compile(r"<(input|select|textarea|button)\b([^>]*)>", re.IGNORECASE)
OPTION = re.compile(r'<option\b[^>]*\bvalue="([^"]*)"', re.IGNORECASE)
SITE = "École des Lilas"
POOL = 12  # values drawn per example, spread over the form's fields
# Fields of the forms seen on other pages, by the route they post to: a POST-only action is
# fuzzed with what its page sends (filled by the harvest before each actor's routes).
OFFERED: dict[str, dict[str, list[str]]] = {}

ODD_TEXTS = [
    "",
    " ",
    "\x1b[31mrouge",
    "ligne\r\nligne",
    "\x07\x00",
    "\u202eevil",
    "😀",
    "مرحبا",
    "测试",
    "null",
    "[]",
    "{}",
    "<script>",
    "on",
    "true",
    "-1",
    "0",
    "31/02/2026",
    "00/00/0000",
    "2026-02-31",
    "01/01/0001",
    "31/12/9999",
    "9223372036854775808",
    "-9223372036854775809",
    "1e308",
    "NaN",
    "25:61",
    "²",
    "１２",
    "٣",
    *DATE_EXTREMES,
    *ID_EXTREMES,
]


@dataclass
class Actor:
    kind: str
    client: Client
    own: dict[tuple[str, str], Any] = field(default_factory=dict)  # (route name, param) → value
    ids: list[int] = field(default_factory=list)  # other households' and towns' ids
    words: list[str] = field(default_factory=list)  # tokens, slugs, references


def _values(actor: Actor) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_TEXTS),
        st.text(max_size=30),
        st.integers(min_value=150, max_value=5000).map(lambda size: "é" * size),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
        st.dates().map(lambda day: day.isoformat()),
        st.datetimes().map(lambda moment: moment.isoformat()),
        st.sampled_from(actor.ids or [1]).map(str),
    )


def _param(actor: Actor, route: Route, name: str, converter: str) -> st.SearchStrategy[Any]:
    if converter in ("IntConverter", "RowIdConverter"):
        generic: st.SearchStrategy[Any] = st.one_of(
            st.sampled_from([*actor.ids, 0, 2**63, 10**25]), st.integers(0, 60)
        )
    elif converter == "SlugConverter":
        generic = st.one_of(
            st.sampled_from([*actor.words, "urgence", "personnes-autorisees"]),
            st.from_regex(r"[a-z0-9_-]{1,30}", fullmatch=True),
        )
    else:
        generic = st.one_of(
            st.sampled_from([*actor.words, "x"]),
            st.from_regex(r"[A-Za-z0-9_.~-]{1,60}", fullmatch=True),
        )
    own = actor.own.get((route.name, name))
    return generic if own is None else st.one_of(st.just(own), st.just(own), generic)


def _forms(html: str, url: str) -> list[tuple[str, str, dict[str, list[str]], list[str]]]:
    """(method, target, fields with candidate values, file fields) of the page's own forms."""
    found = []
    for attrs, body in FORM.findall(html):
        action = re.search(r'\baction="([^"]*)"', attrs)
        target = unescape(action.group(1) if action else "") or url
        method = re.search(r'\bmethod="([^"]*)"', attrs)
        fields: dict[str, list[str]] = {}
        files: list[str] = []
        for tag, field_attrs in FIELD.findall(body):
            name = re.search(r'\bname="([^"]+)"', field_attrs)
            if not name or name.group(1) == "csrfmiddlewaretoken":
                continue
            value = re.search(r'\bvalue="([^"]*)"', field_attrs)
            if 'type="file"' in field_attrs:
                files.append(name.group(1))
                continue
            fields.setdefault(name.group(1), []).extend([unescape(value.group(1))] if value else [])
            if tag.lower() == "select":
                select = re.search(
                    rf'<select\b[^>]*name="{re.escape(name.group(1))}"[^>]*>(.*?)</select>',
                    body,
                    re.DOTALL,
                )
                fields[name.group(1)] += OPTION.findall(select.group(1)) if select else []
        if target.split("?")[0] != url.split("?")[0]:
            _offer(target, fields)  # a form of another route (an action, a search…)
            continue
        found.append(((method.group(1) if method else "get").lower(), target, fields, files))
    return found


def _offer(target: str, fields: dict[str, list[str]]) -> None:
    try:
        name = resolve(urlsplit(target).path).view_name
    except Resolver404:
        return
    OFFERED[name] = merge(OFFERED.get(name, {}), fields)


def _refused(response: Any) -> bool:
    if response.status_code >= 400:
        return True
    for context in response.context or []:
        for layer in getattr(context, "dicts", [context]):
            if not isinstance(layer, dict):
                continue
            for value in layer.values():
                if isinstance(value, BaseForm) and value.is_bound and value.errors:
                    return True
    return False


def _writes(queries: CaptureQueriesContext) -> list[str]:
    tables = [WRITE.match(query["sql"]) for query in queries.captured_queries]
    return [m.group(1) for m in tables if m and not WRITABLE_ON_REFUSAL.match(m.group(1))]


SENT: dict[str, int] = {}  # "method status [refused]" → count, since the last ``_found``


def _captured() -> CaptureQueriesContext:
    """A fresh capture: once the connection's log holds 9000 queries, a capture started then
    would see none (Django keeps the last 9000 only)."""
    connection.queries_log.clear()
    return CaptureQueriesContext(connection)


def _send(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    with _captured() as queries:
        if "__raw__" in data:  # raw HTTP (test_raw_requests_never_fail)
            body, content_type, headers = data["__raw__"]
            response = client.generic(method, url, body, content_type or "text/plain", **headers)
            method = method.lower()
        else:
            response = (client.post if method == "post" else client.get)(url, data)
    assert response.status_code < 500, (method, url, data)
    key = f"{method} {response.status_code}{' refused' if _refused(response) else ''}"
    SENT[key] = SENT.get(key, 0) + 1
    if _refused(response):
        assert not _writes(queries), (method, url, response.status_code, _writes(queries))
    return response


def _fuzz(actor: Actor, route: Route) -> None:
    @settings(
        max_examples=ROUTE_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not DEEP,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        kwargs = {
            name: data.draw(_param(actor, route, name, converter), label=name)
            for name, converter in route.converters.items()
        }
        try:
            url = reverse(route.name, kwargs=kwargs)
        except NoReverseMatch:
            return
        note(f"{actor.kind} {route.route} → {url}")
        # Everything is drawn before any request: what a page shows depends on the database,
        # which earlier examples changed, and hypothesis needs the same draws for the same
        # choices (otherwise FlakyStrategyDefinition).
        pool = data.draw(st.lists(_values(actor), min_size=POOL, max_size=POOL), label="values")
        picks = data.draw(
            st.lists(st.integers(0, 1000) | st.none(), min_size=POOL, max_size=POOL),
            label="candidate picks",
        )
        content = data.draw(st.binary(max_size=300), label="file")
        upload_name = data.draw(
            st.sampled_from(UPLOAD_NAMES) | st.text(max_size=80).filter(sendable_name),
            label="file name",
        )
        upload_type = data.draw(st.sampled_from(UPLOAD_TYPES), label="content type")
        page = _send(actor.client, "get", url, {})
        html = page.content.decode(errors="replace") if page.status_code == 200 else ""
        forms = _forms(html, url) if "text/html" in page.get("Content-Type", "") else []
        if not forms and page.status_code == 405:
            forms = [("post", url, _post_only_fields(route, url), [])]
        for method, target, fields, files in forms:
            values: dict[str, Any] = {}
            for index, (name, candidates) in enumerate(sorted(fields.items())):
                pick = picks[index % POOL]
                use_candidate = candidates and pick is not None
                values[name] = (
                    candidates[pick % len(candidates)] if use_candidate else pool[index % POOL]
                )
            for name in files:
                values[name] = SimpleUploadedFile(upload_name, content, upload_type)
            _send(actor.client, method, target, values)
            if method == "post":
                _csrf_refused(actor, target, {k: v for k, v in values.items() if k not in files})

    run()


def _post_only_fields(route: Route, url: str) -> dict[str, list[str]]:
    """What a POST-only action receives: the fields of the forms that post to it from other
    pages, and the names its view reads (a script's ``tapped_at`` is on no form)."""
    read = {name: [] for name in view_parameters(urlsplit(url).path, "POST")}
    return merge(OFFERED.get(route.name, {}), read)


FOUND: list[str] = []  # what the sweep found, reported all together at the end of a test


def _try(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    """``_send``, keeping what fails for the report instead of stopping at the first."""
    try:
        return _send(client, method, url, data)
    except Exception as error:
        FOUND.append(f"{method.upper()} {url} {data}: {type(error).__name__}: {error}"[:400])
        return HttpResponse(status=599)


def _found() -> None:
    """The end of a sweep: no request failed, and the sweep did send requests, forms posted
    among them (a sweep that reached no route would pass silently otherwise)."""
    found = sorted(set(FOUND))
    FOUND.clear()
    sent = dict(SENT)
    SENT.clear()
    assert not found, f"{len(found)} failing requests:\n" + "\n".join(found)
    assert sum(sent.values()) > 0, "the sweep sent no request"
    assert any(key.startswith("post") for key in sent), sent


def _sweep(actor: Actor, route: Route, query: dict[str, list[str]]) -> None:
    """The deterministic part: every parameter of the route (``hostile.py`` says where they
    come from) gets every hostile value of its kind, one at a time, the others as offered;
    a date in the URL's path gets the date extremes."""
    kwargs = {name: actor.own.get((route.name, name)) for name in route.converters}
    if any(value is None for value in kwargs.values()):
        return  # no object of this actor for the URL: left to the random part
    url = reverse(route.name, kwargs=kwargs)
    for name, converter in route.converters.items():
        if converter == "StringConverter" and DATE_NAME.search(name):
            for value in (value for value in DATE_EXTREMES if "/" not in value):
                _try(actor.client, "get", reverse(route.name, kwargs={**kwargs, name: value}), {})
    page = _try(actor.client, "get", url, {})
    html = page.content.decode(errors="replace") if page.status_code in (200, 400) else ""
    forms = _forms(html, url) if "text/html" in page.get("Content-Type", "") else []
    if page.status_code in (200, 400):
        fields = [fields for method, _target, fields, _files in forms if method == "get"]
        links = self_links(html, url)
        read = {name: [] for name in view_parameters(url, "GET")}
        for values in sweep_requests(merge(query, *fields, links, read), links):
            _try(actor.client, "get", url, values)
    if page.status_code == 405 or any(method == "post" for method, *_rest in forms):
        fields = [fields for method, _target, fields, _files in forms if method == "post"]
        read = {name: [] for name in view_parameters(url, "POST")} if not fields else {}
        posted = merge(*fields, OFFERED.get(route.name, {}), read)
        for values in sweep_requests(posted, {}):
            _try(actor.client, "post", url, values)


def _csrf_refused(actor: Actor, url: str, values: dict[str, Any]) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = actor.client.cookies
    with _captured() as queries:
        response = strict.post(url, values)
    assert response.status_code == 403, (url, response.status_code)
    assert not _writes(queries), (url, _writes(queries))


# --- The worlds -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    town: Municipality
    other_town: Municipality
    objects: Objects
    other_objects: Objects
    family_own: dict[tuple[str, str], Any]
    family_foreign: list[dict[tuple[str, str], Any]]
    ids: list[int]


def _household_objects(household: Any) -> dict[tuple[str, str], Any]:
    with municipality_scope(household.municipality):
        guardian = household.guardians.first() or GuardianFactory(household=household)
        child = ChildFactory(household=household)
        contact = EmergencyContact.objects.create(
            municipality=household.municipality,
            household=household,
            last_name="MARTIN",
            first_name="Paul",
            phone="+33612345678",
        )
        AuthorizedPickup.objects.create(
            municipality=household.municipality,
            household=household,
            last_name="MARTIN",
            first_name="Rose",
            phone="+33612345679",
        )
    return {
        ("portal:guardian_edit", "pk"): guardian.pk,
        ("portal:child_edit", "pk"): child.pk,
        ("portal:calendar_feed_new", "child_id"): child.pk,
        ("portal:person_edit", "kind"): "urgence",
        ("portal:person_edit", "pk"): contact.pk,
        ("portal:person_delete", "kind"): "urgence",
        ("portal:person_delete", "pk"): contact.pk,
        ("portal:person_add", "kind"): "urgence",
    }


@pytest.fixture
def world(db: None) -> World:
    town = MunicipalityFactory(name="Commune de Test", slug="test")
    other_town = MunicipalityFactory(name="Commune Voisine", slug="voisine")
    administrator = make_agent(town, "administrator")
    colleague = make_agent(town, "regie", email="collegue@example.org")
    foreign_agent = make_agent(other_town, "administrator")
    objects = town_objects(town, colleague.role)
    with municipality_scope(town):
        # The child in the school year of the attendance sheet of screens.py, on a site a
        # facilitator works on: the sheet then offers its tap form.
        Enrollment.objects.create(
            municipality=town,
            child_id=objects.child,
            service_id=objects.service,
            school_year=2025,
            start_date=date(2025, 9, 1),
            end_date=date(2026, 8, 31),
            site=site_named(town, SITE),
        )
    facilitator = make_agent(town, "facilitator", email="animateur@example.org", sites=[SITE])
    other_objects = town_objects(other_town, foreign_agent.role)
    family = make_family(town)
    family_own = _household_objects(family.household)
    family_own[("portal:service_rules", "service_id")] = objects.service
    neighbour = HouseholdFactory(municipality=town, name="VOISIN")
    GuardianFactory(household=neighbour)
    with municipality_scope(town):
        # The family's child is shared with the neighbour (separated parents): every route
        # runs with a shared child, and the neighbour's own objects still answer 404.
        ChildHousehold.objects.create(
            municipality=town,
            child_id=family_own[("portal:child_edit", "pk")],
            household=neighbour,
        )
    stranger = make_family(other_town, email="etranger@example.org")
    foreign = [_household_objects(neighbour), _household_objects(stranger.household)]
    ids = sorted(
        {value for own in foreign for value in own.values() if isinstance(value, int)}
        | set(other_objects.__dict__.values())
        | {neighbour.pk, stranger.household.pk, other_town.pk}
    )
    world = World(town, other_town, objects, other_objects, family_own, foreign, ids)
    world.__dict__["administrator"] = administrator
    world.__dict__["regie"] = colleague
    world.__dict__["facilitator"] = facilitator
    world.__dict__["family"] = family
    return world


def _agent_own(objects: Objects) -> dict[tuple[str, str], Any]:
    own: dict[tuple[str, str], Any] = {}
    for url, _area in [*screens(objects), *post_actions(objects)]:
        match = resolve(url.split("?")[0])
        for name, value in match.kwargs.items():
            own.setdefault((match.view_name, name), value)
    return own


def _agent_client(user: User) -> Client:
    """The administrator signed in again before each route: a route may have signed it out,
    deactivated it or reset its device (ids of the pool can be its own)."""
    User.objects.filter(pk=user.pk).update(is_active=True)
    with scopes_disabled():
        AgentRole.objects.filter(user=user).update(is_active=True)
    if not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(user=user, name="fuzz", confirmed=True)
    return sign_in_client(user)


def _routes(actor: str) -> Iterator[Route]:
    yield from fuzzed_routes(actor)


# --- The tests --------------------------------------------------------------------------


def test_every_route_is_fuzzed_or_excluded() -> None:
    """A route nobody fuzzes must be excluded on purpose, with a reason; an exclusion must
    still match a route."""
    routes = all_routes()
    unfuzzed = [
        f"{route.route} ({route.name}): {route.converters}"
        for route in routes
        if route.exclusion is None and not route.fillable
    ]
    assert not unfuzzed, (
        "Fill these parameters in tests/security/test_every_route_fuzzed.py or add the route "
        f"to EXCLUDED in tests/security/routes.py with a reason: {unfuzzed}"
    )
    stale = [
        prefix
        for prefix, _why in EXCLUDED
        if prefix not in CONDITIONAL and not any(r.route.startswith(prefix) for r in routes)
    ]
    assert not stale, f"exclusions that match no route any more: {stale}"
    assert all(why.strip() for _prefix, why in EXCLUDED)
    for actor in ("family", "agent", "anonymous"):
        assert fuzzed_routes(actor), actor


def _harvest(actor: Actor, urls: list[str]) -> None:
    """Reads the forms of the actor's pages, so that a POST-only action is fuzzed with the
    fields its page posts (``OFFERED``)."""
    OFFERED.clear()
    for url in urls:
        page = actor.client.get(url)
        if page.status_code == 200 and "text/html" in page.get("Content-Type", ""):
            _forms(page.content.decode(errors="replace"), url)


def _own_urls(actor: Actor, routes: list[Route]) -> list[str]:
    urls = []
    for route in routes:
        kwargs = {name: actor.own.get((route.name, name)) for name in route.converters}
        if all(value is not None for value in kwargs.values()):
            urls.append(reverse(route.name, kwargs=kwargs))
    return urls


def _screen_queries(objects: Objects) -> dict[str, dict[str, list[str]]]:
    """The query strings of the role × screen table, by route name."""
    queries: dict[str, dict[str, list[str]]] = {}
    for url, _area in screens(objects):
        path, _mark, query = url.partition("?")
        pairs = {name: [value] for name, value in parse_qsl(query)}
        name = resolve(path).view_name
        queries[name] = merge(queries.get(name, {}), pairs)
    return queries


def test_no_route_fails_for_a_family(world: World) -> None:
    family = world.__dict__["family"]
    actor = Actor("family", family.client, world.family_own, world.ids)
    routes = list(_routes("family"))
    _harvest(actor, _own_urls(actor, routes))
    for route in routes:
        family.client.force_login(family.user)
        _sweep(actor, route, {})
    _found()
    for route in routes:
        family.client.force_login(family.user)
        _fuzz(actor, route)


@pytest.mark.parametrize("role", ["administrator", "regie", "facilitator"])
def test_no_route_fails_for_an_agent(world: World, role: str) -> None:
    """Each role's sweep; the random part for the administrator (every role in the deep
    profile): the other roles reach fewer pages, with the same forms."""
    agent = world.__dict__[role]
    own = _agent_own(world.objects)
    queries = _screen_queries(world.objects)
    routes = list(_routes("agent"))
    _harvest(Actor(role, _agent_client(agent.user)), [url for url, _area in screens(world.objects)])
    for route in routes:
        _sweep(Actor(role, _agent_client(agent.user), own), route, queries.get(route.name, {}))
    _found()
    if role == "administrator" or DEEP:
        for route in routes:
            _fuzz(Actor(role, _agent_client(agent.user), own, world.ids), route)


def test_no_route_fails_for_an_anonymous_visitor(world: World) -> None:
    routes = list(_routes("anonymous"))
    for route in routes:
        _sweep(Actor("anonymous", Client()), route, {})
    _found()
    for route in routes:
        _fuzz(Actor("anonymous", Client(), {}, world.ids, ["abc", "MA-ZA"]), route)


RAW_VARIANTS: list[tuple[str, str, bytes, str, dict[str, str]]] = [
    # (method, suffix of the path, body, content type, headers)
    ("GET", "%FF%FE/", b"", "", {}),
    ("GET", "?day=%FF%FE&start=%C0%AF&q=%ED%A0%80", b"", "", {}),
    ("POST", "", b"day=%FF%FE&child=%C2%B2&\xff\xfe=\xff", "application/x-www-form-urlencoded", {}),
    ("POST", "", b"--x\r\n\xff", "multipart/form-data", {}),
    ("POST", "", b"{}", "multipart/form-data; boundary=", {}),
    (
        "GET",
        "",
        b"",
        "",
        {
            "HTTP_ACCEPT_LANGUAGE": "\xff;q=2,*;q=-1",
            "HTTP_X_FORWARDED_FOR": "<script>, ::1, 999.1.1.1",
            "HTTP_HX_REQUEST": "true",
            "HTTP_ACCEPT": "application/json",
            "HTTP_COOKIE": "sessionid=\xff; csrftoken=" + "x" * 5000,
            "HTTP_IF_MODIFIED_SINCE": "0001-01-01",
            "HTTP_RANGE": "bytes=99999999999999999999-",
        },
    ),
]


def test_raw_requests_never_fail(world: World) -> None:
    """Raw HTTP the forms never send: invalid UTF-8 in the path, the query string and the body,
    a multipart body without a boundary, odd headers; on every page of a family and an
    administrator."""
    family = world.__dict__["family"]
    administrator = world.__dict__["administrator"]
    family_actor = Actor("family", family.client, world.family_own)
    pages = [(family.client, url) for url in _own_urls(family_actor, list(_routes("family")))]
    agent = _agent_client(administrator.user)
    pages += [(agent, url.split("?")[0]) for url, _area in screens(world.objects)]
    for client, url in pages:
        for method, suffix, body, content_type, headers in RAW_VARIANTS:
            _try(client, method, url + suffix, {"__raw__": (body, content_type, headers)})
    _found()


def test_other_households_and_towns_objects_answer_404(world: World) -> None:
    family = world.__dict__["family"]
    checked = 0
    for foreign in world.family_foreign:
        by_route: dict[str, dict[str, Any]] = {}
        for (name, param), value in foreign.items():
            by_route.setdefault(name, {})[param] = value
        for name, kwargs in by_route.items():
            if not any(isinstance(value, int) for value in kwargs.values()):
                continue  # no object in the URL (an "add" page)
            url = reverse(name, kwargs=kwargs)
            answers = {
                family.client.get(url).status_code,
                family.client.post(url, {"last_name": "X"}).status_code,
            }
            assert 404 in answers and answers <= {404, 405}, (url, answers)
            checked += 1
    administrator = world.__dict__["administrator"]
    for url, _area in screens(world.other_objects):
        if re.search(r"/\d+/", url):  # an object of the other town in the URL
            assert administrator.client.get(url).status_code == 404, url
            checked += 1
    assert checked > 10


def test_the_write_check_sees_a_write(world: World) -> None:
    """The refusal check would catch a refused request that writes (break it, watch it)."""
    with CaptureQueriesContext(connection) as queries:
        HouseholdFactory(municipality=world.town)
    assert "households_household" in _writes(queries)
