"""Configuration › Accès API: an administrator makes a key (shown once, stored hashed) and
revokes it; subscribes an address to events (the signing secret shown once), deletes it and
turns a disabled one back on. Each is in the action log."""

from __future__ import annotations

import pytest
from django.test import Client

from espacefamille.api.models import ApiKey, WebhookSubscription
from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db

URL = "/agents/configuration/api/"


def test_an_administrator_makes_a_key_shown_once_then_revokes_it(
    administrator: Agent, town: Municipality
) -> None:
    client = administrator.client
    assert "Accès API" in page_text(client.get("/agents/configuration/"))
    response = client.post(
        URL + "cles/ajouter/",
        {
            "name": "Traiteur",
            "scopes": ["kitchen:read", "catalog:read"],
            "expires_on": "",
            "allowed_addresses": "10.0.0.0/8\n192.0.2.7",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    secret = text.split('id="secret" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("ef_")
    with municipality_scope(town):
        key = ApiKey.objects.get()
        assert ActionLogEntry.objects.filter(action="api_key.create").count() == 1
    assert key.allowed_addresses == ["10.0.0.0/8", "192.0.2.7/32"]
    assert secret not in page_text(client.get(URL))  # never shown again
    assert "Traiteur" in page_text(client.get(URL))
    assert client.post(f"{URL}cles/{key.pk}/revoquer/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert (
        Client().get("/api/v1/services/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )


def test_a_bad_address_is_refused_in_french(administrator: Agent, town: Municipality) -> None:
    response = administrator.client.post(
        URL + "cles/ajouter/",
        {"name": "X", "scopes": ["kitchen:read"], "allowed_addresses": "le réseau de la mairie"},
    )
    assert "n'est ni une adresse IP ni un réseau" in page_text(response)
    with municipality_scope(town):
        assert not ApiKey.objects.exists()


def test_a_subscription_shows_its_secret_once(administrator: Agent, town: Municipality) -> None:
    client = administrator.client
    response = client.post(
        URL + "evenements/ajouter/",
        {"url": "https://traiteur.example.org/hook", "events": ["booking.created"]},
    )
    assert 'value="whsec_' in response.content.decode()
    with municipality_scope(town):
        subscription = WebhookSubscription.objects.get()
        WebhookSubscription.objects.filter(pk=subscription.pk).update(is_active=False, failures=15)
    assert "désactivée" in page_text(client.get(URL))
    client.post(f"{URL}evenements/{subscription.pk}/reactiver/")
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.failures == 0
    client.post(f"{URL}evenements/{subscription.pk}/supprimer/")
    with municipality_scope(town):
        assert not WebhookSubscription.objects.exists()
        assert ActionLogEntry.objects.filter(action__startswith="webhook.").count() == 3


def test_plain_http_is_refused(administrator: Agent, town: Municipality, settings: object) -> None:
    settings.WEBHOOK_ALLOW_HTTP = False  # type: ignore[attr-defined]
    response = administrator.client.post(
        URL + "evenements/ajouter/",
        {"url": "http://traiteur.example.org/hook", "events": ["booking.created"]},
    )
    assert "doit commencer par https://" in page_text(response)
