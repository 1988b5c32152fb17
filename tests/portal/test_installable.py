"""The installable portal: a manifest Chromium accepts (name, start_url, 192 and 512 px icons,
theme colour), a service worker served from the root, the pages kept offline (the household's
own agenda, current and next week of each child, nothing else), and a sign-out that tells the
browser to drop them."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from PIL import Image

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import Setup
from ..conftest import make_family

pytestmark = pytest.mark.django_db
frozen = booking_fixtures.frozen
setup = booking_fixtures.setup


def test_the_manifest_meets_chromium_criteria(town: object) -> None:
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] and manifest["short_name"] == "Espace Famille"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    sizes = {}
    for icon in manifest["icons"]:
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert found, icon["src"]
        with Image.open(Path(found)) as image:
            sizes[icon["sizes"]] = image.size
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_the_service_worker_is_served_from_the_root(town: object) -> None:
    response = Client().get(reverse("portal:service_worker"))
    assert reverse("portal:service_worker") == "/service-worker.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert body.startswith('"use strict";\nvar SHELL = ["/static/espacefamille/tokens.css"')
    assert 'addEventListener("fetch"' in body


def test_pages_link_the_manifest_and_the_worker(setup: Setup) -> None:
    html = setup.family.client.get(reverse("portal:agenda")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'data-service-worker="/service-worker.js"' in html
    assert 'data-offline-pages="/hors-ligne/pages/"' in html


def test_offline_pages_are_the_households_current_and_next_weeks(setup: Setup) -> None:
    response = setup.family.client.get(reverse("portal:offline_pages"))
    assert response["Cache-Control"] == "private, no-store"
    listed = json.loads(response.content)
    pages = listed["pages"]
    assert pages[0] == "/reservations/"
    weeks = {parse_qs(urlsplit(url).query)["semaine"][0] for url in pages[1:]}
    assert weeks == {"2026-11-09", "2026-11-16"}  # NOW is Tuesday 10/11/2026
    children = {parse_qs(urlsplit(url).query)["enfant"][0] for url in pages[1:]}
    assert children == {str(setup.paul.pk), str(setup.julie.pk)}
    services = {parse_qs(urlsplit(url).query)["service"][0] for url in pages[1:]}
    assert len(pages) == 1 + len(services) * 2 * 2
    for url in pages:
        assert setup.family.client.get(url).status_code == 200, url


def test_another_household_gets_another_key_and_its_own_pages(setup: Setup, town: object) -> None:
    other = make_family(town, email="autre@example.org")  # type: ignore[arg-type]
    mine = json.loads(setup.family.client.get(reverse("portal:offline_pages")).content)
    theirs = json.loads(other.client.get(reverse("portal:offline_pages")).content)
    assert mine["household"] != theirs["household"]
    assert theirs["pages"] == ["/reservations/"]  # no child enrolled: nothing of Paul's


def test_offline_pages_need_a_signed_in_family(town: object) -> None:
    response = Client().get(reverse("portal:offline_pages"))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_signing_out_clears_what_the_browser_kept(setup: Setup) -> None:
    response = setup.family.client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_copy_kept_offline_leaves_the_status_messages_to_the_next_page(setup: Setup) -> None:
    """The worker refreshes the week pages it keeps while the family goes on: its copy must not
    use up a message meant for the page the family opens next ("Le panier a été vidé." was
    lost when a refresh read it first). Fails without the header's check in messages.html."""
    client = setup.family.client
    worker = client.get(reverse("portal:service_worker")).content.decode()
    assert 'headers: { "X-Espacefamille-Offline-Copy": "1" }' in worker
    week = json.loads(client.get(reverse("portal:offline_pages")).content)["pages"][0]
    client.post(reverse("portal:cart_clear"), {"next": reverse("portal:agenda")})
    kept = client.get(week, headers={"X-Espacefamille-Offline-Copy": "1"}).content.decode()
    assert "Le panier était déjà vide." not in kept
    shown = client.get(reverse("portal:agenda")).content.decode()
    assert "Le panier était déjà vide." in shown
