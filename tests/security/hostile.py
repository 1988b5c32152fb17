"""What the route fuzzer knows of a route besides its page: the parameters its view reads, and
the hostile values each kind of parameter gets in the deterministic sweep.

A page shows only some of the parameters its view reads: a tablet's script adds ``tapped_at``,
links add ``format=xlsx``, a POST-only action is posted from another page. So the parameters of
a route are the union of
- the fields of the forms on its page, and of the forms on other pages that post to it;
- the parameters of the links of its page to itself (``?format=xlsx``);
- the names its view's module reads (``request.GET.get("day")``, ``request.POST["child"]``)
  and the fields of the form classes that module uses;
- the query string of the route's entry in the role × screen table (tests/backoffice/screens.py).

Each parameter then gets every hostile value of its kind, one parameter at a time, the others
keeping a value the page offers (so that the hostile value reaches the code behind the form's
validation): dates at the ends of what Python's ``date`` holds, in ISO and French formats and
as datetimes; ids that are no ASCII number."""

from __future__ import annotations

import inspect
import os
import re
import sys
from collections.abc import Iterable
from functools import cache
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from uuid import uuid4

from django.forms import BaseForm
from django.urls import Resolver404, resolve

DATE_EXTREMES = [
    "0001-01-01",
    "0001-01-07",
    "9999-12-31",
    "31/12/9999",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
]
MOMENTS = frozenset(value for value in DATE_EXTREMES if "T" in value)
ID_EXTREMES = ["²"]  # beyond 64 bits: the random part (ODD_TEXTS, the URL ids)
# Names of parameters that carry a date or a time (besides those whose offered value is one).
DATE_NAME = re.compile(r"(^|_)(day|date|start|end|since|until|month|from|to|at|on|jour)$")
DATE_VALUE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4})")
READ = re.compile(r"""request\.(GET|POST)(?:\.get|\.getlist|\[)\(?\s*["']([\w-]+)["']""")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LINK = re.compile(r"""\bhref="([^"]*\?[^"]*)\"""")
UPLOAD_NAMES = [
    "piece.pdf",
    "page.html",
    "../../../etc/passwd",
    "x" * 300 + ".pdf",
    "é😀.pdf",
    "PIECE.PDF",
    ".htaccess",
    "facture\u202efdp.exe",
    "a\x00b.pdf",
]
UPLOAD_TYPES = ["application/pdf", "image/png", "text/html", "application/octet-stream", ""]


def hostile_values(name: str, offered: Iterable[str]) -> list[str]:
    """The values of the sweep for a parameter named ``name`` whose page offers ``offered``:
    the date extremes for a date, the id extremes for an id or a parameter the page does not
    fill; none for a text (the random part fills texts)."""
    values = [value for value in offered if value]
    if DATE_NAME.search(name) or any(DATE_VALUE.match(value) for value in values):
        return DATE_EXTREMES
    if all(value.isascii() and value.isdigit() for value in values):
        return ID_EXTREMES
    return []


def sendable_name(name: str) -> bool:
    """A file name the test client can send (it keeps the base name, which must not be
    empty; a browser sends no file at all then)."""
    return os.path.basename(name) not in ("", ".", "..")


def first_offered(values: Iterable[str]) -> str:
    """The value a person would leave: the first non-empty one the page offers."""
    return next((value for value in values if value), "")


@cache
def view_parameters(path: str, method: str) -> frozenset[str]:
    """The names the view module of ``path`` reads from ``request.GET`` or ``request.POST``;
    for a POST-only action, also its module's form fields (its page is another's)."""
    try:
        match = resolve(path)
    except Resolver404:
        return frozenset()
    view = inspect.unwrap(match.func)
    module = sys.modules.get(view.__module__)
    if module is None:
        return frozenset()
    source = inspect.getsource(module)
    names = {name for read, name in READ.findall(source) if read == method}
    if method == "POST":
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseForm):
                names |= set(value.base_fields)
    return frozenset(names)


def self_links(html: str, url: str) -> dict[str, list[str]]:
    """The query parameters of the page's links to its own path, with their values."""
    path = urlsplit(url).path
    found: dict[str, list[str]] = {}
    for href in LINK.findall(html):
        target = urlsplit(unescape(href))
        if target.path not in ("", path):
            continue
        for name, value in parse_qsl(target.query, keep_blank_values=True):
            values = found.setdefault(name, [])
            if value not in values:
                values.append(value)
    return found


def merge(*sources: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for source in sources:
        for name, values in source.items():
            known = merged.setdefault(name, [])
            known += [value for value in values if value not in known]
    return merged


def sweep_requests(
    parameters: dict[str, list[str]], links: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """One request per parameter and hostile value; each date extreme in every date parameter
    at once (a period at the edge, both ends); the same with each value the page's links
    offer for another parameter (``format=xlsx``). A value the page made unique (a tap's
    UUID) is a fresh one in each request, or the view would take the request for a repeat."""
    base = {name: first_offered(values) for name, values in parameters.items()}
    requests = []
    for name, offered in sorted(parameters.items()):
        for value in hostile_values(name, offered):
            requests.append({**base, name: value})
    dates = sorted(name for name in parameters if DATE_NAME.search(name))
    if len(dates) > 1:
        for value in DATE_EXTREMES:
            requests.append({**base, **dict.fromkeys(dates, value)})
    for name, offered in sorted(links.items()):
        if name in dates or name not in base:
            continue
        for choice in sorted(set(offered) - {base[name], ""})[:3]:
            for value in DATE_EXTREMES[:3]:
                requests.append({**base, name: choice, **dict.fromkeys(dates, value)})
    # Moments first: a view keeps the latest of the moments it is sent (a tablet's taps), so
    # an extreme moment sent after an ordinary one would be ignored, never stored.
    requests.sort(key=lambda request: not any(value in MOMENTS for value in request.values()))
    return [
        {name: str(uuid4()) if UUID.match(value) else value for name, value in request.items()}
        for request in requests
    ]
