"""The XSS scan, per role (issue 15, defect 3): a family, a régie agent, a facilitator and an
administrator each type markup into every free-text field of every form their pages show
(text inputs and text areas; the other fields keep the value the page offers, and a field the
form refuses gets its offered value back for a second try), then every role reads every page
it can open: the markup must come back escaped, never as a tag.

A régie agent's enrolment site once reached the administrator's agent form raw, through a help
text rendered ``|safe``. The world is the route fuzzer's (``test_every_route_fuzzed.world``)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from ..backoffice.screens import screens
from .test_every_route_fuzzed import (  # noqa: F401 — fast_password_hashing is a fixture
    Actor,
    World,
    _agent_client,
    _agent_own,
    _own_urls,
    _routes,
    fast_password_hashing,
    world,
)

pytestmark = pytest.mark.django_db

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'\b([\w-]+)="([^"]*)"')
OPTION = re.compile(r'<option\b([^>]*)\bvalue="([^"]*)"([^>]*)>', re.IGNORECASE)
FREE_TEXT = {"text", "search", "textarea", ""}
# The order of typing: an object several roles edit (an enrolment's site) keeps the last one's
# text, so the least trusted roles type last and their markup is what the others read.
ROLES = ["administrator", "facilitator", "regie", "family"]


def _markup(role: str) -> str:
    return f'<img src=x data-role="{role}" onerror="alert(1)">'


def _post_forms(html: str, url: str) -> list[tuple[dict[str, str], set[str]]]:
    """(offered values, free-text fields) of the page's POST forms that post to the page."""
    found = []
    for attrs, body in FORM.findall(html):
        action = dict(ATTRIBUTE.findall(attrs)).get("action", "")
        method = dict(ATTRIBUTE.findall(attrs)).get("method", "get").lower()
        if method != "post" or (action and unescape(action).split("?")[0] != url.split("?")[0]):
            continue
        values: dict[str, str] = {}
        texts: set[str] = set()
        for tag, field_attrs in FIELD.findall(body):
            field = dict(ATTRIBUTE.findall(field_attrs))
            name = field.get("name")
            kind = tag.lower() if tag.lower() != "input" else field.get("type", "").lower()
            if not name or name == "csrfmiddlewaretoken" or kind == "file":
                continue
            if kind in FREE_TEXT:
                texts.add(name)
            if kind in ("checkbox", "radio") and "checked" not in field_attrs:
                continue
            if tag.lower() == "select":
                select = re.search(
                    rf'<select\b[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', body, re.DOTALL
                )
                options = OPTION.findall(select.group(1)) if select else []
                chosen = [
                    value
                    for before, value, after in options
                    if value and "selected" in before + after
                ]
                offered = [value for _before, value, _after in options if value]
                values[name] = (chosen or offered or [""])[0]
            else:
                values.setdefault(name, unescape(field.get("value", "")))
        if texts:
            found.append((values, texts))
    return found


def _errors(response: Any) -> set[str]:
    fields: set[str] = set()
    for context in response.context or []:
        form = context.get("form") if hasattr(context, "get") else None
        if form is not None and getattr(form, "errors", None):
            fields |= set(form.errors)
    return fields


def _type_markup(client: Client, urls: list[str], role: str) -> int:
    """Types the role's markup into every free-text field of the pages; how many forms took
    it."""
    taken = 0
    for url in urls:
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for values, texts in _post_forms(page.content.decode(), url):
            data = {**values, **dict.fromkeys(texts, _markup(role))}
            response = client.post(url, data)
            refused = _errors(response)
            if refused:
                data.update({name: values.get(name, "") for name in refused})
                response = client.post(url, data)
            taken += response.status_code == 302
    return taken


def _clients(scene: World) -> dict[str, tuple[Client, list[str]]]:
    family = scene.__dict__["family"]
    family_urls = _own_urls(
        Actor("family", family.client, scene.family_own), list(_routes("family"))
    )
    own = _agent_own(scene.objects)
    agent_urls = [url for url, _area in screens(scene.objects)]
    clients = {"family": (family.client, family_urls)}
    for role in ROLES[:3]:
        client = _agent_client(scene.__dict__[role].user)
        urls = agent_urls + _own_urls(Actor(role, client, own), list(_routes("agent")))
        clients[role] = (client, list(dict.fromkeys(urls)))
    return clients


def test_markup_typed_by_any_role_is_escaped_on_every_page(world: World) -> None:  # noqa: F811
    clients = _clients(world)
    taken = {role: _type_markup(*clients[role], role) for role in ROLES}
    assert taken["family"] and taken["regie"] and taken["administrator"], taken
    raw: list[str] = []
    escaped = 0
    for reader, (client, urls) in _clients(world).items():
        for url in urls:
            page = client.get(url)
            if "text/html" not in page.get("Content-Type", ""):
                continue
            html = page.content.decode(errors="replace")
            escaped += html.count("&lt;img src=x data-role=")
            raw += [
                f"{reader} reads {role}'s markup raw on {url}"
                for role in ROLES
                if _markup(role) in html
            ]
    assert not raw, raw
    assert escaped, "no page showed any typed markup: the scan typed nothing that is shown"
