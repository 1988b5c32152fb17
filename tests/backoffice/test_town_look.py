"""A town's own look: the administrator picks the main colour (a colour breaking WCAG AA
contrast is refused in French, with the contrast measured) and uploads the logo; the family
portal then links the town's palette and logo; both changes are in the action log."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from ..conftest import make_family
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db
URL = reverse("backoffice:town_look")


@pytest.fixture(autouse=True)
def media_in_tmp(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), (138, 21, 56)).save(buffer, format="PNG")
    return SimpleUploadedFile("blason.png", buffer.getvalue(), content_type="image/png")


def test_a_colour_breaking_contrast_is_refused(administrator: Agent, town: Municipality) -> None:
    response = administrator.client.post(URL, {"main_colour": "#ffcc00"})
    assert response.status_code == 200
    text = page_text(response)
    assert "n'offre qu'un contraste de 1,30:1" in text and "au moins 4,5:1" in text
    town.refresh_from_db()
    assert town.main_colour == ""


def test_colour_and_logo_reach_the_family_portal(administrator: Agent, town: Municipality) -> None:
    response = administrator.client.post(URL, {"main_colour": "#8A1538", "logo": _png()})
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.main_colour == "#8a1538" and town.logo_type == "image/png"
    with municipality_scope(town):
        entry = ActionLogEntry.objects.order_by("-pk").first()
    assert entry is not None and entry.action == "municipality.look"

    family = make_family(town)
    html = family.client.get(reverse("portal:home")).content.decode()
    css_url = reverse("portal:town_stylesheet", args=[town.slug])
    logo_url = reverse("portal:town_logo", args=[town.slug])
    assert f'href="{css_url}?v=' in html and f'src="{logo_url}?v=' in html
    css = Client().get(css_url)
    assert css["Content-Type"].startswith("text/css")
    assert "--color-brand: #8a1538;" in css.content.decode()
    logo = Client().get(logo_url)
    assert logo["Content-Type"] == "image/png" and logo.content.startswith(b"\x89PNG")


def test_a_logo_that_is_not_an_image_is_refused(administrator: Agent, town: Municipality) -> None:
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = administrator.client.post(URL, {"main_colour": "#1d4e89", "logo": fake})
    assert response.status_code == 200
    assert "n'est pas un PDF, un JPEG ou un PNG" in page_text(response)
    town.refresh_from_db()
    assert not town.logo


def test_without_a_colour_there_is_no_town_stylesheet(town: Municipality) -> None:
    assert Client().get(reverse("portal:town_stylesheet", args=[town.slug])).status_code == 404
    assert Client().get(reverse("portal:town_logo", args=[town.slug])).status_code == 404


def test_only_administrators_change_the_look(regie: Agent) -> None:
    assert regie.client.get(URL).status_code == 403
