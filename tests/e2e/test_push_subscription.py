"""Web push from "Gestion du foyer › Notifications" in Chromium (issue 20). The browser's push
service (Google's, for Chromium) is out of reach here, so ``PushManager`` is replaced before
the page loads by one that hands back a subscription with real keys: what the page's script
does with it (the VAPID key it passes, the CSRF header, the server's check against DUPONT's
household, the buttons and messages) is the real thing. The page passes axe at 320 px."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from espacefamille.notifications.models import PushSubscription
from espacefamille.notifications.push import vapid_keys_new

from .test_household import open_household

pytestmark = pytest.mark.django_db(transaction=True)

ENDPOINT = "https://fcm.googleapis.com/fcm/send/essai-e2e"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _fake_push_manager() -> str:
    raw = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    p256dh, auth = _b64(raw), _b64(b"0123456789abcdef")
    return f"""(() => {{
  let current = null;
  window.__pushKeyLength = 0;
  PushManager.prototype.subscribe = function (options) {{
    window.__pushKeyLength = new Uint8Array(options.applicationServerKey).length;
    current = {{
      endpoint: "{ENDPOINT}",
      toJSON() {{ return {{ endpoint: "{ENDPOINT}", expirationTime: null,
                          keys: {{ p256dh: "{p256dh}", auth: "{auth}" }} }}; }},
      unsubscribe() {{ current = null; return Promise.resolve(true); }}
    }};
    return Promise.resolve(current);
  }};
  PushManager.prototype.getSubscription = function () {{ return Promise.resolve(current); }};
}})();"""


def _subscriptions() -> list[tuple[str, str]]:
    with scopes_disabled():
        return list(PushSubscription.objects.values_list("household__name", "endpoint"))


@pytest.mark.service_workers
def test_family_subscribes_this_browser_and_stops(
    page: Page, login: Any, assert_accessible: Any, settings: Any
) -> None:
    settings.WEBPUSH_VAPID_PRIVATE_KEY, settings.WEBPUSH_VAPID_PUBLIC_KEY = vapid_keys_new()
    page.context.grant_permissions(["notifications"])
    page.add_init_script(_fake_push_manager())
    login(page)
    open_household(page, "Notifications")
    status = page.locator("#push-status")
    expect(status).to_have_text("Ce navigateur ne reçoit pas les notifications de votre foyer.")
    subscribe = page.get_by_role(
        "button", name="Recevoir les notifications sur cet appareil", exact=True
    )
    assert_accessible(page)
    subscribe.click()
    expect(status).to_have_text("Ce navigateur recevra les notifications de votre foyer.")
    assert page.evaluate("() => window.__pushKeyLength") == 65  # the VAPID public key, decoded
    assert _subscriptions() == [("DUPONT", ENDPOINT)]
    stop = page.get_by_role("button", name="Ne plus recevoir les notifications sur cet appareil")
    expect(subscribe).to_be_hidden()
    assert_accessible(page)
    stop.click()
    expect(status).to_have_text("Ce navigateur ne recevra plus les notifications.")
    expect(subscribe).to_be_visible()
    assert _subscriptions() == []


def test_without_vapid_keys_the_page_says_push_is_not_available(
    page: Page, login: Any, assert_accessible: Any, settings: Any
) -> None:
    settings.WEBPUSH_VAPID_PRIVATE_KEY = settings.WEBPUSH_VAPID_PUBLIC_KEY = ""
    login(page)
    open_household(page, "Notifications")
    expect(page.locator("#push-status")).to_contain_text("ne sont pas disponibles sur ce portail")
    expect(
        page.get_by_role("button", name="Recevoir les notifications sur cet appareil", exact=True)
    ).to_have_count(0)
    assert_accessible(page)
