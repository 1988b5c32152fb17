"""Webhook subscriptions: a town's administrator (back office, Configuration › Accès API) or a
key with ``webhooks:manage`` subscribes an address to events; the signing secret is shown once
(Standard Webhooks: ``whsec_`` + base64). An address must be HTTPS (plain HTTP only in
development and tests, ``WEBHOOK_ALLOW_HTTP``)."""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from espacefamille.audit.records import action_record
from espacefamille.core.models import Municipality

from .errors import ApiError, ApiReason
from .models import WebhookSubscription

if TYPE_CHECKING:
    from espacefamille.audit.records import Actor

EVENTS = {
    "booking.created": gettext_lazy("Réservation faite"),
    "booking.cancelled": gettext_lazy("Réservation annulée"),
    "attendance.recorded": gettext_lazy("Présence pointée"),
    "invoice.issued": gettext_lazy("Facture émise"),
    "payment.succeeded": gettext_lazy("Paiement en ligne réussi"),
    "closure.created": gettext_lazy("Fermeture ajoutée"),
}


def events_parse(values: list[str]) -> list[str]:
    names = sorted({value.strip() for value in values if value.strip()})
    unknown = [name for name in names if name not in EVENTS]
    if unknown or not names:
        raise ApiError(
            ApiReason.UNKNOWN_EVENT,
            _("Choisissez des événements parmi : %(names)s.") % {"names": ", ".join(EVENTS)},
            field="events",
        )
    return names


def url_check(url: str) -> str:
    parts = urlsplit(url.strip())
    allowed = ("https", "http") if getattr(settings, "WEBHOOK_ALLOW_HTTP", False) else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise ApiError(
            ApiReason.INSECURE_URL,
            _("L'adresse de réception doit commencer par https://."),
            field="url",
        )
    return url.strip()


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@transaction.atomic
def subscription_create(
    *, municipality: Municipality, url: str, events: list[str], actor: Actor
) -> WebhookSubscription:
    subscription = WebhookSubscription.objects.create(
        municipality=municipality,
        url=url_check(url),
        events=events_parse(events),
        secret=new_secret(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    listened_events_refresh(municipality.pk)
    action_record(
        municipality_id=municipality.pk,
        actor=actor,
        action="webhook.create",
        obj=subscription,
        changes={"events": ["", ", ".join(subscription.events)]},
    )
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription, actor: Actor) -> None:
    action_record(
        municipality_id=subscription.municipality_id,
        actor=actor,
        action="webhook.delete",
        obj=subscription,
    )
    subscription.delete()
    listened_events_refresh(subscription.municipality_id)


@transaction.atomic
def subscription_enable(*, subscription: WebhookSubscription, actor: Actor) -> None:
    """Turn a subscription disabled after repeated failures back on."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=True, failures=0, disabled_at=None
    )
    listened_events_refresh(subscription.municipality_id)
    action_record(
        municipality_id=subscription.municipality_id,
        actor=actor,
        action="webhook.enable",
        obj=subscription,
    )


def listened_events_refresh(municipality_id: int) -> None:
    """Write the town's ``listened_events`` again from its active subscriptions, in the
    transaction that changed one. The town's row is locked first: two changes at once never
    write each other's outdated list."""
    towns = Municipality.objects.filter(pk=municipality_id)
    towns.select_for_update().values_list("pk", flat=True).get()
    listened = WebhookSubscription.objects.filter(
        municipality_id=municipality_id, is_active=True
    ).values_list("events", flat=True)
    towns.update(listened_events=sorted({name for events in listened for name in events}))
