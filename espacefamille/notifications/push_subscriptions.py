"""A family's browsers subscribed to web push ("Gestion du foyer › Notifications"): what the
browser's ``PushSubscription.toJSON()`` sent, checked (an ``https`` endpoint of a known push
service, a P-256 public key, a 16-byte secret) and kept for the household signed in; removed
only from that household."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record
from espacefamille.households.models import Household

from .errors import NotificationError, NotificationReason
from .models import PushSubscription

# The push services of Chrome (and Opera, Samsung), Firefox, Edge and Safari. A deployment
# adds others with WEBPUSH_ENDPOINT_HOSTS; the server posts to these hosts, so nothing else.
KNOWN_PUSH_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "notify.windows.com",
    "push.apple.com",
)
LOCAL_HOSTS = ("127.0.0.1", "localhost")
ENDPOINT_MAX = PushSubscription._meta.get_field("endpoint").max_length or 500


def push_available() -> bool:
    """Both VAPID keys are set: browsers may subscribe, and the server can send."""
    return bool(settings.WEBPUSH_VAPID_PUBLIC_KEY and settings.WEBPUSH_VAPID_PRIVATE_KEY)


def _refused(message: str) -> NotificationError:
    return NotificationError(NotificationReason.PUSH_SUBSCRIPTION, message)


def _decoded(text: object) -> bytes | None:
    if not isinstance(text, str) or not 0 < len(text) <= 200:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def _host_allowed(host: str) -> bool:
    allowed = (*KNOWN_PUSH_HOSTS, *settings.WEBPUSH_ENDPOINT_HOSTS)
    return any(host == known or host.endswith("." + known) for known in allowed)


def endpoint_checked(endpoint: object) -> str:
    """An ``https`` address of a push service (plain ``http`` only for a local test service the
    deployment lists in WEBPUSH_ENDPOINT_HOSTS)."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > ENDPOINT_MAX:
        raise _refused(_("L'adresse d'abonnement de votre navigateur n'est pas valable."))
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    local = host in LOCAL_HOSTS and host in settings.WEBPUSH_ENDPOINT_HOSTS
    if not (parts.scheme == "https" or (parts.scheme == "http" and local)) or not _host_allowed(
        host
    ):
        raise _refused(
            _("Le service de notifications de votre navigateur n'est pas reconnu par le portail.")
        )
    return endpoint


def subscription_checked(data: Any) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from the browser's subscription, or a French refusal."""
    if not isinstance(data, dict):
        raise _refused(_("L'abonnement envoyé par votre navigateur est illisible."))
    endpoint = endpoint_checked(data.get("endpoint"))
    keys = data.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    public = _decoded(keys.get("p256dh"))
    secret = _decoded(keys.get("auth"))
    if public is None or len(public) != 65 or public[0] != 4 or secret is None or len(secret) != 16:
        raise _refused(
            _("Les clés de chiffrement envoyées par votre navigateur ne sont pas valables.")
        )
    return endpoint, keys["p256dh"], keys["auth"]


@transaction.atomic
def push_subscribe(*, household: Household, actor: Actor, data: Any) -> PushSubscription:
    """Keep this browser for ``household`` (subscribing again refreshes its keys)."""
    if not push_available():
        raise _refused(_("Les notifications sur le navigateur ne sont pas disponibles."))
    if actor is None:
        raise _refused(_("Connectez-vous pour recevoir les notifications."))
    endpoint, p256dh, auth = subscription_checked(data)
    subscription, created = PushSubscription.objects.update_or_create(
        municipality_id=household.municipality_id,
        household=household,
        endpoint=endpoint,
        defaults={"user": actor, "p256dh": p256dh, "auth": auth},
    )
    if created:
        action_record(
            municipality_id=household.municipality_id,
            actor=actor,
            action="notifications.push_subscribe",
            obj=household,
            changes={},
        )
    return subscription


@transaction.atomic
def push_unsubscribe(*, household: Household, actor: Actor, endpoint: object) -> None:
    """Forget this browser for ``household``; another household's subscription is not found."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > ENDPOINT_MAX:
        raise _refused(_("L'adresse d'abonnement de votre navigateur n'est pas valable."))
    deleted, _rows = PushSubscription.objects.filter(
        household=household, endpoint=endpoint
    ).delete()
    if not deleted:
        raise NotificationError(
            NotificationReason.PUSH_SUBSCRIPTION,
            _("Ce navigateur n'est pas abonné aux notifications de votre foyer."),
            status=404,
        )
    action_record(
        municipality_id=household.municipality_id,
        actor=actor,
        action="notifications.push_unsubscribe",
        obj=household,
        changes={},
    )
