"""The channels: a family's choices decide who gets what; SMS through Brevo's HTTP API (only the
HTTP transport is faked, with respx) with the town's sender name, quiet hours except for a
same-day closure; web push to a test push endpoint started here, a gone subscription dropped."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest
import respx
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.test import TestCase

from espacefamille.catalog.deadlines import PARIS
from espacefamille.core.tenancy import municipality_scope
from espacefamille.notifications import sms
from espacefamille.notifications.dispatch import notify
from espacefamille.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    Preference,
    PushSubscription,
    SmsSettings,
)
from espacefamille.notifications.push import vapid_keys_new

from ..conftest import Family

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 11, 10, 9, 0, tzinfo=PARIS)
NIGHT = datetime(2026, 11, 10, 22, 30, tzinfo=PARIS)


@pytest.fixture
def reachable(family: Family) -> Family:
    family.guardian.mobile_phone = "+33612345678"
    family.guardian.save()
    sms.outbox.clear()
    return family


@pytest.fixture(autouse=True)
def _in_town(family: Family) -> Iterator[None]:
    with municipality_scope(family.household.municipality_id):
        yield


def _notify(family: Family, kind: str = Kind.CLOSURE, **extra: Any) -> list[Delivery]:
    """Sent as after a commit (the tasks run at once in the tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notify(
            municipality_id=family.household.municipality_id,
            household_ids=[family.household.pk],
            kind=kind,
            subject="Fermeture le 25/11/2026 (grève)",
            body="La cantine est fermée.",
            **extra,
        )


def test_defaults_closures_on_every_channel_reminders_on_none(reachable: Family) -> None:
    with time_machine.travel(MORNING, tick=False):
        assert {d.channel for d in _notify(reachable)} == {Channel.EMAIL, Channel.SMS}
        assert _notify(reachable, Kind.REMINDER) == []
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1
    assert "Gestion du foyer" in mail.outbox[0].body


def test_a_family_that_turned_sms_off_gets_none(reachable: Family) -> None:
    Preference.objects.create(
        municipality=reachable.household.municipality,
        household=reachable.household,
        kind=Kind.CLOSURE,
        channel=Channel.SMS,
        enabled=False,
    )
    with time_machine.travel(MORNING, tick=False):
        assert {d.channel for d in _notify(reachable)} == {Channel.EMAIL}
    assert sms.outbox == []


@respx.mock
def test_brevo_gets_the_sms_with_the_towns_sender(reachable: Family) -> None:
    SmsSettings.objects.create(
        municipality=reachable.household.municipality,
        provider="brevo",
        sender="MAIRIE TEST",
        api_key="brevo-test-key",
        max_length=160,
    )
    route = respx.post(sms.BREVO_URL).mock(
        return_value=httpx.Response(201, json={"messageId": 1, "smsCount": 1})
    )
    with time_machine.travel(MORNING, tick=False):
        _notify(reachable)
    sent = json.loads(route.calls.last.request.content)
    assert route.calls.last.request.headers["api-key"] == "brevo-test-key"
    assert sent["recipient"] == "33612345678" and sent["sender"] == "MAIRIE TEST"
    assert len(sent["content"]) <= 160 and "Gestion du foyer" in sent["content"]
    delivery = Delivery.objects.get(channel=Channel.SMS)
    assert (delivery.status, delivery.segments) == (DeliveryStatus.SENT, 1)


@respx.mock
def test_a_provider_refusal_is_kept_on_the_delivery(reachable: Family) -> None:
    SmsSettings.objects.create(
        municipality=reachable.household.municipality, provider="brevo", sender="X", api_key="k"
    )
    respx.post(sms.BREVO_URL).mock(return_value=httpx.Response(401, json={}))
    with time_machine.travel(MORNING, tick=False):
        _notify(reachable)
    delivery = Delivery.objects.get(channel=Channel.SMS)
    assert (delivery.status, delivery.error) == (DeliveryStatus.FAILED, "brevo 401")


def test_quiet_hours_hold_sms_except_a_same_day_closure(reachable: Family) -> None:
    with time_machine.travel(NIGHT, tick=False):
        _notify(reachable)
        assert Delivery.objects.get(channel=Channel.SMS).status == DeliveryStatus.DEFERRED
        assert sms.outbox == []
        _notify(reachable, urgent=True)
    assert len(sms.outbox) == 1


def test_the_sender_name_is_eleven_characters_at_most() -> None:
    assert sms.sender_name("Commune de Saint-Rémy-de-Provence") == "COMMUNE DE"
    assert len(sms.sender_name("ABCDEFGHIJKLMNOP")) == 11


# --- Web push to a push endpoint started by the test ------------------------------------


class PushEndpoint(BaseHTTPRequestHandler):
    received: list[bytes] = []
    status = 201

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        PushEndpoint.received.append(self.rfile.read(length))
        self.send_response(PushEndpoint.status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def push_endpoint(settings: Any) -> Iterator[str]:
    settings.WEBPUSH_VAPID_PRIVATE_KEY = vapid_keys_new()[0]
    server = HTTPServer(("127.0.0.1", 0), PushEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PushEndpoint.received, PushEndpoint.status = [], 201
    yield f"http://127.0.0.1:{server.server_port}/push/abc"
    server.shutdown()


def _subscribe(family: Family, endpoint: str) -> PushSubscription:
    browser_key = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = browser_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return PushSubscription.objects.create(
        municipality=family.household.municipality,
        household=family.household,
        user=family.user,
        endpoint=endpoint,
        p256dh=base64.urlsafe_b64encode(raw).decode().rstrip("="),
        auth=base64.urlsafe_b64encode(b"0123456789abcdef").decode().rstrip("="),
    )


def test_web_push_reaches_the_browser_and_a_gone_one_is_dropped(
    family: Family, push_endpoint: str
) -> None:
    _subscribe(family, push_endpoint)
    with time_machine.travel(MORNING, tick=False):
        _notify(family)
    assert len(PushEndpoint.received) == 1  # encrypted: the endpoint only relays it
    assert Delivery.objects.get(channel=Channel.PUSH).status == DeliveryStatus.SENT
    PushEndpoint.status = 410
    with time_machine.travel(MORNING, tick=False):
        _notify(family)
    assert not PushSubscription.objects.exists()
    assert Delivery.objects.filter(channel=Channel.PUSH).last().status == DeliveryStatus.BOUNCED
