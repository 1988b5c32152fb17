"""Webhooks: a receiver started by the test gets ``booking.created`` signed as Standard Webhooks
says, after commit; a rolled-back booking sends nothing; a receiver that keeps failing is
retried with backoff, then its subscription is disabled and the administrators told."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from standardwebhooks.webhooks import Webhook

from espacefamille.accounts.models import AgentRole, AgentRoleKind
from espacefamille.api.models import DeliveryState, WebhookDelivery, WebhookSubscription
from espacefamille.api.webhook_delivery import delivery_attempt
from espacefamille.api.webhook_subscriptions import (
    subscription_create,
    subscription_delete,
    subscription_enable,
)
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.counter.agent_bookings import booking_create_for_family

from ..bookings.conftest import MON_16, Setup
from ..factories import UserFactory
from .conftest import KeyMaker

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    def __init__(self, status: int) -> None:
        self.status = status
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(204)
    yield found
    found.close()


def _subscribe(setup: Setup, url: str) -> WebhookSubscription:
    with municipality_scope(setup.paul.municipality_id):
        return subscription_create(
            municipality=setup.family.household.municipality,
            url=url,
            events=["booking.created", "booking.cancelled"],
            actor=None,
        )


def test_a_booking_sends_a_signed_event_after_commit(
    setup: Setup, make_key: KeyMaker, receiver: Receiver
) -> None:
    subscription = _subscribe(setup, receiver.url)
    api = make_key("bookings:write")
    data = {"child": setup.paul.pk, "product": setup.p("REPAS").pk, "date": "2026-11-16"}
    booking = api.post("/api/v1/bookings/", data).json()  # type: ignore[attr-defined]
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    payload = Webhook(subscription.secret).verify(body, headers)
    assert payload["type"] == "booking.created"
    assert payload["data"] == {
        "booking": booking["id"],
        "child": setup.paul.pk,
        "product": setup.p("REPAS").pk,
        "date": "2026-11-16",
        "status": "validated",
    }
    with pytest.raises(Exception, match="ignature"):
        Webhook(subscription.secret).verify(body.replace(b"16", b"17"), headers)
    with municipality_scope(setup.paul.municipality_id):
        delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 204)
    assert headers["webhook-id"] == delivery.message_id


def test_a_rolled_back_booking_sends_nothing(setup: Setup, receiver: Receiver) -> None:
    _subscribe(setup, receiver.url)
    with municipality_scope(setup.paul.municipality_id):
        with pytest.raises(RuntimeError), transaction.atomic():
            booking_create_for_family(
                child=setup.paul, product=setup.p("REPAS"), day=MON_16, actor=None
            )
            raise RuntimeError("the caller's transaction fails after the booking")
        assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


@override_settings(WEBHOOK_MAX_FAILURES=3)
def test_a_failing_receiver_is_retried_then_disabled(setup: Setup) -> None:
    failing = Receiver(500)
    try:
        town = setup.family.household.municipality
        admin = UserFactory(email="admin@example.org")
        with municipality_scope(town):
            AgentRole.objects.create(
                municipality=town, user=admin, role=AgentRoleKind.ADMINISTRATOR
            )
        subscription = _subscribe(setup, failing.url)
        with municipality_scope(town):
            booking_create_for_family(
                child=setup.paul, product=setup.p("REPAS"), day=MON_16, actor=None
            )
            delivery = WebhookDelivery.objects.get()
            assert (delivery.state, delivery.attempts, delivery.last_status) == (
                DeliveryState.PENDING,
                1,
                500,
            )
            assert delivery.next_attempt_at is not None
            delivery_attempt(delivery.pk)
            delivery_attempt(delivery.pk)
            subscription.refresh_from_db()
            assert not subscription.is_active and subscription.failures == 3
            town.refresh_from_db()
            assert town.listened_events == []  # nobody listens any more
            assert delivery_attempt(delivery.pk).attempts == 3  # no more attempts once disabled
        assert len(failing.received) == 3
        assert [message.to for message in mail.outbox] == [["admin@example.org"]]
        assert failing.url in mail.outbox[0].body
        assert json.loads(failing.received[0][1])["type"] == "booking.created"
    finally:
        failing.close()


def _listened(setup: Setup) -> list[str]:
    return Municipality.objects.get(pk=setup.paul.municipality_id).listened_events


def test_the_town_lists_the_events_its_active_subscriptions_listen_to(setup: Setup) -> None:
    """``Municipality.listened_events`` follows every change of a subscription, in its
    transaction: created, disabled and enabled again, deleted."""
    assert _listened(setup) == []
    subscription = _subscribe(setup, "https://example.org/hook")
    assert _listened(setup) == ["booking.cancelled", "booking.created"]
    with municipality_scope(setup.paul.municipality_id):
        other = subscription_create(
            municipality=setup.family.household.municipality,
            url="https://example.org/other",
            events=["invoice.issued", "booking.created"],
            actor=None,
        )
        assert _listened(setup) == ["booking.cancelled", "booking.created", "invoice.issued"]
        subscription_delete(subscription=other, actor=None)
        assert _listened(setup) == ["booking.cancelled", "booking.created"]
        WebhookSubscription.objects.filter(pk=subscription.pk).update(is_active=False)
        subscription_enable(subscription=subscription, actor=None)
        assert _listened(setup) == ["booking.cancelled", "booking.created"]
        subscription_delete(subscription=subscription, actor=None)
    assert _listened(setup) == []


def test_an_event_nobody_listens_to_costs_no_read_after_its_commit(
    setup: Setup, make_key: KeyMaker
) -> None:
    """Issue 17: in a request, the town's row read by its front door says that no
    subscription listens to the event: the receiver reads nothing (it read the town's
    subscriptions after every booking)."""
    with municipality_scope(setup.paul.municipality_id):
        subscription_create(  # the town listens to its invoices, not to its bookings
            municipality=setup.family.household.municipality,
            url="https://example.org/invoices",
            events=["invoice.issued"],
            actor=None,
        )
    api = make_key("bookings:write")
    data = {"child": setup.paul.pk, "product": setup.p("REPAS").pk, "date": "2026-11-16"}
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/bookings/", data)  # type: ignore[attr-defined]
    assert response.status_code == 201
    statements = [query["sql"] for query in queries.captured_queries]
    assert [sql for sql in statements if '"api_webhooksubscription"' in sql] == []
    with municipality_scope(setup.paul.municipality_id):
        assert not WebhookDelivery.objects.exists()
