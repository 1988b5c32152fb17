"""Web push with ``pywebpush`` and the VAPID keys of the deployment (``vapid_keys`` makes them;
settings ``WEBPUSH_VAPID_PRIVATE_KEY``/``PUBLIC_KEY`` from the environment). A subscription
the push service calls gone (404, 410) is dropped."""

from __future__ import annotations

import base64
import json

from django.conf import settings

from .models import Delivery, DeliveryStatus, PushSubscription

GONE = {404, 410}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def vapid_keys_new() -> tuple[str, str]:
    """A new VAPID key pair: the private key as pywebpush reads it (base64url DER), the
    public one as browsers take it (``applicationServerKey``, base64url raw point)."""
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid01

    vapid = Vapid01()
    vapid.generate_keys()
    private = vapid.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64(private), _b64(public)


def push_send(delivery: Delivery, subscription_ids: list[int]) -> tuple[str, str, int]:
    private_key = getattr(settings, "WEBPUSH_VAPID_PRIVATE_KEY", "")
    if not private_key:
        return DeliveryStatus.FAILED, "no VAPID key", 0
    # Imported by the sending itself: pywebpush brings aiohttp, requests and cryptography
    # (about 24 MB and 280 modules) that no page needs.
    from pywebpush import WebPushException, webpush

    payload = json.dumps(
        {"title": delivery.subject, "body": delivery.body[:300], "url": delivery.link or "/"}
    )
    sent, errors = 0, []
    for subscription in PushSubscription.objects.filter(pk__in=subscription_ids):
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=payload,
                vapid_private_key=private_key,
                vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
                timeout=10,
            )
        except ValueError:
            return DeliveryStatus.FAILED, "bad VAPID key", 0
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in GONE:
                subscription.delete()
            errors.append(str(status or "error"))
            continue
        sent += 1
    if sent:
        return DeliveryStatus.SENT, "", 0
    return DeliveryStatus.BOUNCED if "410" in errors else DeliveryStatus.FAILED, ",".join(errors), 0
