"""Webhook deliveries: each event a service emits (``core.events.events_emit``, after its
commit) becomes one ``WebhookDelivery`` per active subscription of the town that asked for it,
sent by the task queue with ids only (DESIGN convention 11: the task table holds no secret).

A delivery is signed as Standard Webhooks says (``webhook-id``, ``webhook-timestamp``,
``webhook-signature`` headers, the ``standardwebhooks`` library). A 2xx answer delivers it;
anything else (an error status, no answer in 10 s) is retried with backoff over about a day
(``RETRY_DELAYS``); then it is abandoned. Every failed attempt counts against the subscription;
after ``WEBHOOK_MAX_FAILURES`` in a row it is disabled and the town's administrators get an
e-mail. A retry waits for its time in the queue when the backend can defer a task (the
database backend); otherwise ``manage.py webhook_retry`` sends the due ones."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task
from standardwebhooks.webhooks import Webhook

from espacefamille.accounts.models import AgentRole, AgentRoleKind
from espacefamille.core.emails import templated_email_send
from espacefamille.core.models import Municipality
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.core.tenancy import municipality_scope, request_town

from .models import DeliveryState, WebhookDelivery, WebhookSubscription
from .webhook_subscriptions import listened_events_refresh

logger = logging.getLogger(__name__)

RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]
TIMEOUT_SECONDS = 10


def max_failures() -> int:
    return int(getattr(settings, "WEBHOOK_MAX_FAILURES", 15))


def events_receive(municipality_id: int, name: str, items: list[dict[str, Any]]) -> None:
    """``settings.EVENT_RECEIVERS``: called after the emitting transaction committed. In a
    request, the town's row its front door read says whether any subscription listens to
    ``name`` (``Municipality.listened_events``): when none does, nothing is read (a
    subscription made while that request ran misses its events)."""
    town = request_town()
    if town is not None and town.pk == municipality_id and name not in town.listened_events:
        return
    with municipality_scope(municipality_id):
        subscriptions = [
            subscription
            for subscription in WebhookSubscription.objects.filter(is_active=True)
            if name in subscription.events
        ]
        if not subscriptions:
            return
        now = timezone.now()
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                municipality_id=municipality_id,
                subscription=subscription,
                message_id=f"msg_{uuid.uuid4().hex}",
                event=name,
                payload={"type": name, "timestamp": now.isoformat(), "data": item},
                next_attempt_at=now,
            )
            for subscription in subscriptions
            for item in items
        )
    for delivery in deliveries:
        webhook_deliver.enqueue(municipality_id=municipality_id, delivery_id=delivery.pk)


def _signed_headers(delivery: WebhookDelivery, body: str, at: datetime) -> dict[str, str]:
    signature = Webhook(delivery.subscription.secret).sign(delivery.message_id, at, body)
    return {
        "content-type": "application/json",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "user-agent": "EspaceFamille-Webhooks/1",
    }


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """The receiver's status (None: no answer) and a short error, never the body. requests is
    imported here, by the task worker: a web worker only enqueues deliveries (issue 17)."""
    import requests

    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    headers = _signed_headers(delivery, body, timezone.now())
    try:
        response = requests.post(
            delivery.subscription.url,
            data=body.encode(),
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return None, type(error).__name__
    return response.status_code, "" if response.ok else f"HTTP {response.status_code}"


def delivery_attempt(delivery_id: int) -> WebhookDelivery:
    """One attempt of a pending delivery (the caller is in the town's scope)."""
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if delivery.state != DeliveryState.PENDING or not subscription.is_active:
        return delivery
    status, error = _post(delivery)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status, delivery.last_error = status, error[:200]
    with transaction.atomic():
        locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        if status is not None and 200 <= status < 300:
            delivery.state, delivery.next_attempt_at = DeliveryState.DELIVERED, None
            locked.failures = 0
        else:
            locked.failures += 1
            if delivery.attempts > len(RETRY_DELAYS):
                delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
            else:
                delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
            if locked.is_active and locked.failures >= max_failures():
                locked.is_active, locked.disabled_at = False, now
                municipality_id, subscription_id = locked.municipality_id, locked.pk
                task_enqueue_on_commit(
                    send_webhook_disabled_email,
                    municipality_id=municipality_id,
                    subscription_id=subscription_id,
                )
        locked.save(update_fields=["failures", "is_active", "disabled_at"])
        if locked.disabled_at == now:  # disabled just now: the town listens to less
            listened_events_refresh(locked.municipality_id)
        delivery.save(
            update_fields=["attempts", "last_status", "last_error", "state", "next_attempt_at"]
        )
    if delivery.state == DeliveryState.PENDING and default_task_backend.supports_defer:
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(
            municipality_id=delivery.municipality_id, delivery_id=delivery.pk
        )
    return delivery


@task()
def webhook_deliver(*, municipality_id: int, delivery_id: int) -> str:
    with municipality_scope(municipality_id):
        return delivery_attempt(delivery_id).state


def deliveries_retry(*, municipality: Municipality) -> int:
    """Send every pending delivery whose time has come (for a backend that cannot defer)."""
    with municipality_scope(municipality):
        due = list(
            WebhookDelivery.objects.filter(
                state=DeliveryState.PENDING,
                next_attempt_at__lte=timezone.now(),
                subscription__is_active=True,
            )
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)
        )
        for delivery_id in due:
            delivery_attempt(delivery_id)
    return len(due)


@task()
def send_webhook_disabled_email(*, municipality_id: int, subscription_id: int) -> None:
    with municipality_scope(municipality_id):
        subscription = WebhookSubscription.objects.filter(pk=subscription_id).first()
        if subscription is None:
            return
        emails = sorted(
            set(
                AgentRole.objects.filter(
                    role=AgentRoleKind.ADMINISTRATOR, is_active=True, user__is_active=True
                ).values_list("user__email", flat=True)
            )
        )
        if not emails:
            return
        templated_email_send(
            to=emails,
            template="webhook_disabled",
            context={
                "url": subscription.url,
                "failures": subscription.failures,
                "town": Municipality.objects.get(pk=municipality_id).name,
                "link": settings.SITE_URL + "/agents/configuration/api/",
            },
        )
