"""SMS through a small provider layer: ``console`` (the demo and the tests: printed, and kept in
``outbox``) and Brevo's HTTP API over ``httpx``. The text carries the town's sender name
(11 characters at most), is cut to the town's length, and waits for 08:00 when it would
leave between 21:00 and 08:00 (Europe/Paris), unless it announces a closure of the same day."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from .errors import NotificationError, NotificationReason
from .models import Delivery, DeliveryStatus, SmsProviderName, SmsSettings

if TYPE_CHECKING:
    import httpx  # imported by the sending itself: 120 modules no page needs

PARIS = ZoneInfo("Europe/Paris")
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)
BREVO_URL = "https://api.brevo.com/v3/transactionalSMS/sms"
outbox: list[dict[str, str]] = []  # the console provider's sent messages (tests, demo)


class SmsProvider(Protocol):
    def send(self, *, sender: str, to: str, text: str) -> int: ...


@dataclass
class ConsoleProvider:
    def send(self, *, sender: str, to: str, text: str) -> int:
        outbox.append({"sender": sender, "to": to, "text": text})
        sys.stdout.write(f"[SMS {sender} → {to}] {text}\n")
        return segments(text)


@dataclass
class BrevoProvider:
    api_key: str
    transport: httpx.BaseTransport | None = None

    def send(self, *, sender: str, to: str, text: str) -> int:
        import httpx

        with httpx.Client(transport=self.transport, timeout=10) as client:
            response = client.post(
                BREVO_URL,
                headers={"api-key": self.api_key, "accept": "application/json"},
                json={
                    "type": "transactional",
                    "sender": sender,
                    "recipient": to.lstrip("+"),
                    "content": text,
                    "unicodeEnabled": True,
                },
            )
        if response.status_code >= 400:
            raise NotificationError(
                NotificationReason.SMS_PROVIDER, f"brevo {response.status_code}"
            )
        return int(response.json().get("smsCount") or segments(text))


def provider_for(config: SmsSettings) -> SmsProvider:
    if config.provider == SmsProviderName.BREVO:
        return BrevoProvider(api_key=config.api_key)
    return ConsoleProvider()


def town_settings(municipality_id: int, town_name: str) -> SmsSettings:
    found = SmsSettings.objects.filter(municipality_id=municipality_id).first()
    return found or SmsSettings(
        municipality_id=municipality_id, sender=sender_name(town_name), provider="console"
    )


def sender_name(name: str) -> str:
    """What a phone shows as the sender: letters and digits, 11 at most."""
    kept = "".join(c for c in name.upper() if c.isascii() and (c.isalnum() or c == " "))
    return (kept.strip() or "MAIRIE")[:11].strip()


def segments(text: str) -> int:
    return 1 if len(text) <= 160 else math.ceil(len(text) / 153)


def sms_text(delivery: Delivery, max_length: int) -> tuple[str, bool]:
    """The text sent, and whether it had to be cut."""
    tail = " " + _("Réglages : Gestion du foyer › Notifications")
    text = f"{delivery.subject} : {delivery.body}".replace("\n", " ")
    room = max_length - len(tail)
    if len(text) <= room:
        return text + tail, False
    return text[: room - 1].rstrip() + "…" + tail, True


def in_quiet_hours(now: datetime) -> bool:
    local = now.astimezone(PARIS).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def sms_send(delivery: Delivery, to: list[str], *, now: datetime) -> tuple[str, str, int]:
    if in_quiet_hours(now) and not delivery.urgent:
        return DeliveryStatus.DEFERRED, "", 0
    config = town_settings(delivery.municipality_id, delivery.municipality.name)
    text, cut = sms_text(delivery, config.max_length)
    provider = provider_for(config)
    import httpx

    sent = 0
    try:
        for number in to:
            sent += provider.send(sender=sender_name(config.sender), to=number, text=text)
    except NotificationError as error:
        return DeliveryStatus.FAILED, str(error.message), sent
    except httpx.HTTPError as error:
        return DeliveryStatus.FAILED, type(error).__name__, sent
    return DeliveryStatus.SENT, _("texte coupé") if cut else "", sent


def month_usage(municipality_id: int, month_start: datetime) -> tuple[int, Decimal]:
    """SMS sent by a town since ``month_start``: how many, and their cost."""
    row = Delivery.objects.filter(
        municipality_id=municipality_id,
        channel="sms",
        status=DeliveryStatus.SENT,
        sent_at__gte=month_start,
    ).aggregate(n=Count("pk"), parts=Sum("segments"))
    config = SmsSettings.objects.filter(municipality_id=municipality_id).first()
    cost = Decimal(row["parts"] or 0) * (config.unit_cost if config else Decimal(0))
    return row["n"], cost.quantize(Decimal("0.01"))
