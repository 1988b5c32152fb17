"""Keys: shown once and stored hashed, checked on every request (revoked, expired, from an
address not allowed: 401), scopes (403), a rate per key (429 with Retry-After), the key's last
use; every answer of refusal is application/problem+json."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from espacefamille.api.keys import api_key_revoke
from espacefamille.api.models import ApiKey
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope, scopes_disabled

from .conftest import ApiClient, KeyMaker, key_for

pytestmark = pytest.mark.django_db

SERVICES = "/api/v1/services/"


def _problem(response: object, status: int, reason: str) -> dict[str, object]:
    assert response.status_code == status, response.content  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/problem+json"  # type: ignore[index]
    body = response.json()  # type: ignore[attr-defined]
    assert body["reason"] == reason
    assert body["status"] == status
    assert body["type"] == f"urn:espacefamille:problem:{reason}"
    return body


def test_the_command_prints_the_key_alone_on_its_last_line(town: Municipality) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "api_key_create",
        "test",
        "--name",
        "Traiteur",
        "--scopes",
        "kitchen:read,catalog:read",
        stdout=out,
        stderr=err,
    )
    text = out.getvalue().strip().splitlines()[-1]
    assert text.startswith("ef_") and " " not in text
    with scopes_disabled():
        key = ApiKey.objects.get()
    assert key.scopes == ["catalog:read", "kitchen:read"]
    assert text not in key.key_hash and key.key_hash != text  # stored hashed only
    assert ApiClient(Client(), text).get(SERVICES).status_code == 200


def test_the_command_refuses_an_unknown_scope(town: Municipality) -> None:
    with pytest.raises(Exception, match="Droit inconnu"):
        call_command("api_key_create", "test", "--name", "X", "--scopes", "everything")


def test_no_key_a_wrong_key_a_revoked_key_answer_401(town: Municipality, api: ApiClient) -> None:
    body = _problem(Client().get(SERVICES), 401, "not_authenticated")
    assert "clé API" in str(body["detail"])
    _problem(ApiClient(Client(), api.text[:-2] + "xx").get(SERVICES), 401, "not_authenticated")
    _problem(ApiClient(Client(), "ef_nothing").get(SERVICES), 401, "not_authenticated")
    assert api.get(SERVICES).status_code == 200
    with municipality_scope(town):
        api_key_revoke(key=ApiKey.objects.get(), actor=None)
    response = api.get(SERVICES)
    _problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_key_answers_401(town: Municipality) -> None:
    api = key_for(town, ["catalog:read"], expires_at=timezone.now() - timedelta(minutes=1))
    _problem(api.get(SERVICES), 401, "not_authenticated")


def test_a_key_answers_only_from_its_addresses(town: Municipality) -> None:
    api = key_for(town, ["catalog:read"], allowed_addresses=["10.1.0.0/16"])
    _problem(api.get(SERVICES), 401, "not_authenticated")  # the test client is 127.0.0.1
    near = key_for(town, ["catalog:read"], allowed_addresses=["127.0.0.0/8"])
    assert near.get(SERVICES).status_code == 200


def test_a_missing_scope_answers_403(make_key: KeyMaker) -> None:
    kitchen = make_key("kitchen:read")
    body = _problem(kitchen.get("/api/v1/households/"), 403, "scope_missing")
    assert "households:read" in str(body["detail"])
    _problem(kitchen.post("/api/v1/bookings/", {}), 403, "scope_missing")


def test_the_last_use_is_recorded(town: Municipality, api: ApiClient) -> None:
    api.get(SERVICES)
    with scopes_disabled():
        key = ApiKey.objects.get()
    assert key.last_used_at is not None
    assert key.last_used_from == "127.0.0.1"


@override_settings(API_RATE_LIMIT="3/min")
def test_too_many_requests_answer_429_with_retry_after(make_key: KeyMaker) -> None:
    first, second = make_key("catalog:read"), make_key("catalog:read")
    for _ in range(3):
        assert first.get(SERVICES).status_code == 200
    response = first.get(SERVICES)
    _problem(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert second.get(SERVICES).status_code == 200  # per key


def test_the_schema_and_docs_need_no_key(town: Municipality) -> None:
    client = Client()
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/schema/?format=json").json()["openapi"].startswith("3.")
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"https://" not in docs.content  # no CDN: the project's own static files
