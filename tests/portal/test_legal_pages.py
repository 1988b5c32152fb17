""" "Données personnelles" and "Accessibilité": public pages, linked from the footer of the
family pages and of the back office, with the town's details and retention period."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from espacefamille.core.models import Municipality

from ..conftest import Family

pytestmark = pytest.mark.django_db


def test_privacy_page_is_public_and_names_the_town(town: Municipality) -> None:
    town.email = "enfance@test.example.org"
    town.retention_years = 4
    town.save()
    page = Client().get(reverse("portal:privacy")).content.decode()
    assert "<h1>Données personnelles</h1>" in page
    assert "Commune de Test" in page and "enfance@test.example.org" in page
    assert "4 ans" in page and "10 ans" in page
    for right in ["accès", "rectification", "effacement", "portabilité", "opposition", "CNIL"]:
        assert right in page, right
    assert "Télécharger mes données (ZIP)" in page


def test_the_dpo_contact_replaces_the_towns_address(town: Municipality) -> None:
    town.data_protection_contact = "dpo@agglo.example.org"
    town.save()
    page = Client().get(reverse("portal:privacy")).content.decode()
    assert "dpo@agglo.example.org" in page


def test_accessibility_page_states_the_compliance(town: Municipality, settings: object) -> None:
    page = Client().get(reverse("portal:accessibility")).content.decode()
    assert "Déclaration d'accessibilité" in page
    assert "partiellement conforme" in page
    assert "Défenseur des droits" in page
    settings.ACCESSIBILITY_COMPLIANCE = "non conforme"  # type: ignore[attr-defined]
    assert "non conforme" in Client().get(reverse("portal:accessibility")).content.decode()


def test_footers_link_both_pages(family: Family) -> None:
    for client, url in [
        (Client(), reverse("accounts:login")),
        (family.client, reverse("portal:household")),
        (Client(), reverse("backoffice:sign_in")),
    ]:
        page = client.get(url).content.decode()
        assert f'href="{reverse("portal:privacy")}">Données personnelles</a>' in page, url
        assert "Accessibilité : partiellement conforme</a>" in page, url


def test_an_administrator_sets_the_retention_and_dpo(town: Municipality) -> None:
    from ..backoffice.helpers import make_agent

    agent = make_agent(town, "administrator")
    data = {
        "name": "Commune de Test",
        "holiday_zone": "A",
        "max_guardians": 2,
        "retention_years": 5,
        "data_protection_contact": "dpo@test.example.org",
    }
    response = agent.client.post("/agents/configuration/commune/", data)
    assert response.status_code == 302
    town.refresh_from_db()
    assert (town.retention_years, town.data_protection_contact) == (5, "dpo@test.example.org")
    refused = agent.client.post("/agents/configuration/commune/", data | {"retention_years": 0})
    assert refused.status_code == 200
    town.refresh_from_db()
    assert town.retention_years == 5
