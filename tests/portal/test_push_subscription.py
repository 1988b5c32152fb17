""" "Gestion du foyer › Notifications": a browser subscribes to web push and stops (issue 20).
The page shows the button only when the deployment has VAPID keys; the server keeps a
subscription checked against the household signed in (a known push service over https, a
P-256 key, a 16-byte secret), refuses anything else with a French message and no 500, and
never lets a family remove another family's browser."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.notifications.models import PushSubscription
from espacefamille.notifications.push import vapid_keys_new

from ..conftest import Family, make_family

pytestmark = pytest.mark.django_db

ADD = "/foyer/notifications/navigateur/"
REMOVE = "/foyer/notifications/navigateur/retrait/"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"


@pytest.fixture(autouse=True)
def _in_town(scoped: Municipality) -> Municipality:
    return scoped


@pytest.fixture
def vapid(settings: Any) -> str:
    private, public = vapid_keys_new()
    settings.WEBPUSH_VAPID_PRIVATE_KEY, settings.WEBPUSH_VAPID_PUBLIC_KEY = private, public
    return public


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def browser_subscription(endpoint: str = ENDPOINT) -> dict[str, Any]:
    """What ``PushSubscription.toJSON()`` gives in a browser."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": _b64(raw), "auth": _b64(b"0123456789abcdef")},
    }


def _post(client: Client, url: str, body: object) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json")


def test_the_routes_are_the_ones_the_page_uses() -> None:
    assert reverse("portal:push_subscription_add") == ADD
    assert reverse("portal:push_subscription_remove") == REMOVE


def test_the_page_offers_the_button_with_the_public_key(family: Family, vapid: str) -> None:
    html = family.client.get(reverse("portal:notification_settings")).content.decode()
    assert f'data-push-key="{vapid}"' in html
    assert "Recevoir les notifications sur cet appareil" in html
    assert "/static/espacefamille/push.js" in html
    assert "<script>" not in html  # the CSP allows only our static files


def test_without_vapid_keys_there_is_no_button(family: Family, settings: Any) -> None:
    settings.WEBPUSH_VAPID_PRIVATE_KEY = settings.WEBPUSH_VAPID_PUBLIC_KEY = ""
    html = family.client.get(reverse("portal:notification_settings")).content.decode()
    assert "Recevoir les notifications sur cet appareil" not in html
    assert "push.js" not in html
    assert "ne sont pas disponibles sur ce portail" in html
    response = _post(family.client, ADD, browser_subscription())
    assert response.status_code == 422
    assert not PushSubscription.objects.exists()


def test_a_browser_subscribes_once_for_the_household(family: Family, vapid: str) -> None:
    subscription = browser_subscription()
    response = _post(family.client, ADD, subscription)
    assert response.status_code == 200, response.content
    assert "recevra les notifications" in response.json()["message"]
    kept = PushSubscription.objects.get()
    assert (kept.household, kept.user, kept.endpoint) == (family.household, family.user, ENDPOINT)
    assert kept.p256dh == subscription["keys"]["p256dh"]
    subscription["keys"]["auth"] = _b64(b"fedcba9876543210")
    assert _post(family.client, ADD, subscription).status_code == 200
    assert PushSubscription.objects.get().auth == subscription["keys"]["auth"]  # refreshed
    actions = list(ActionLogEntry.objects.values_list("action", flat=True))
    assert actions.count("notifications.push_subscribe") == 1


def test_the_csrf_token_is_required(family: Family, vapid: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(family.user)
    response = _post(client, ADD, browser_subscription())
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("pas du json", 400),
        (b"\xff\xfe", 400),
        ("x" * 5000, 400),
        ([], 422),
        ({}, 422),
        ({"endpoint": 3, "keys": {}}, 422),
        ({"endpoint": "https://evil.example/push", "keys": "x"}, 422),
        ({"endpoint": "http://fcm.googleapis.com/x", "keys": {}}, 422),
        ({"endpoint": "https://fcm.googleapis.com.evil.example/x", "keys": {}}, 422),
        ({"endpoint": "https://fcm.googleapis.com/" + "x" * 600, "keys": {}}, 422),
        ({"endpoint": ENDPOINT, "keys": {"p256dh": "abc", "auth": "def"}}, 422),
        ({"endpoint": ENDPOINT, "keys": {"p256dh": ["a"], "auth": None}}, 422),
        ({"endpoint": ENDPOINT, "keys": {"p256dh": "%%%", "auth": "%%%"}}, 422),
    ],
)
def test_a_bad_subscription_gets_a_french_message_and_changes_nothing(
    family: Family, vapid: str, body: object, status: int
) -> None:
    response = _post(family.client, ADD, body)
    assert response.status_code == status
    message = response.json()["message"]
    assert message and any(word in message for word in ("navigateur", "notifications"))
    assert not PushSubscription.objects.exists()


def test_a_bad_key_in_a_good_shape_is_refused(family: Family, vapid: str) -> None:
    subscription = browser_subscription()
    subscription["keys"]["auth"] = _b64(b"short")
    assert _post(family.client, ADD, subscription).status_code == 422
    subscription = browser_subscription()
    subscription["keys"]["p256dh"] = _b64(b"\x05" + b"a" * 64)  # not an uncompressed point
    assert _post(family.client, ADD, subscription).status_code == 422
    assert not PushSubscription.objects.exists()


def test_unsubscribing_removes_only_the_households_browser(
    family: Family, town: Municipality, vapid: str
) -> None:
    other = make_family(town, email="autre@example.org")
    _post(family.client, ADD, browser_subscription())
    response = _post(other.client, REMOVE, {"endpoint": ENDPOINT})
    assert response.status_code == 404
    assert "pas abonné" in response.json()["message"]
    assert PushSubscription.objects.count() == 1
    response = _post(family.client, REMOVE, {"endpoint": ENDPOINT})
    assert response.status_code == 200
    assert not PushSubscription.objects.exists()
    assert ActionLogEntry.objects.filter(action="notifications.push_unsubscribe").count() == 1


@pytest.mark.parametrize("body", ["{", [], {"endpoint": None}, {"endpoint": "y" * 600}])
def test_a_bad_unsubscription_gets_a_french_message(
    family: Family, vapid: str, body: object
) -> None:
    _post(family.client, ADD, browser_subscription())
    response = _post(family.client, REMOVE, body)
    assert response.status_code in {400, 422}
    assert response.json()["message"]
    assert PushSubscription.objects.count() == 1


def test_signed_out_or_by_get_nothing_happens(family: Family, vapid: str) -> None:
    assert Client().post(ADD, data="{}", content_type="application/json").status_code == 302
    assert family.client.get(ADD).status_code == 405
    assert not PushSubscription.objects.exists()


def test_the_worker_shows_a_push_and_opens_its_page(town: Municipality) -> None:
    body = Client().get("/service-worker.js").content.decode()
    assert 'addEventListener("push"' in body and "showNotification" in body
    assert 'addEventListener("notificationclick"' in body and "openWindow" in body
    assert 'var ICON_URL = "/static/espacefamille/icons/icon-192.png";' in body


def test_plain_http_only_for_a_listed_local_test_service(
    family: Family, vapid: str, settings: Any
) -> None:
    for endpoint in ("http://fcm.googleapis.com/x", "http://127.0.0.1:8123/push"):
        assert _post(family.client, ADD, browser_subscription(endpoint)).status_code == 422
    settings.WEBPUSH_ENDPOINT_HOSTS = ["127.0.0.1"]
    assert (
        _post(family.client, ADD, browser_subscription("http://fcm.googleapis.com/x")).status_code
        == 422
    )
    response = _post(family.client, ADD, browser_subscription("http://127.0.0.1:8123/push"))
    assert response.status_code == 200
    assert PushSubscription.objects.get().endpoint == "http://127.0.0.1:8123/push"
