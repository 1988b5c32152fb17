"""The three channels: who can be reached by which (one query each for many families), and
sending one delivery. E-mail goes through Django's mail backend, SMS through the town's
provider (``sms``), web push through ``pywebpush`` (``push``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from espacefamille.households.models import Guardian

from .models import Channel, Delivery, DeliveryStatus, PushSubscription
from .push import push_send
from .sms import sms_send

Reachable = dict[str, dict[int, list[str]]]


def footer() -> str:
    return _(
        "Pour choisir ce que vous recevez : Espace Famille › Gestion du foyer › Notifications."
    )


def recipients_by_channel(household_ids: Iterable[int]) -> Reachable:
    """{channel: {household id: addresses}}: the guardians' e-mails (of their logins), their
    mobiles in E.164, and the household's subscribed browsers' ids."""
    ids = list(household_ids)
    found: Reachable = {ch: defaultdict(list) for ch in Channel.values}
    guardians = Guardian.objects.filter(household_id__in=ids).values_list(
        "household_id", "user__email", "mobile_phone"
    )
    for household_id, email, mobile in guardians:
        if email and email not in found[Channel.EMAIL][household_id]:
            found[Channel.EMAIL][household_id].append(email)
        number = mobile.as_e164 if mobile and mobile.is_valid() else ""
        if number and number not in found[Channel.SMS][household_id]:
            found[Channel.SMS][household_id].append(number)
    for household_id, pk in PushSubscription.objects.filter(household_id__in=ids).values_list(
        "household_id", "pk"
    ):
        found[Channel.PUSH][household_id].append(str(pk))
    return found


def channel_send(delivery: Delivery, to: list[str], *, now: datetime) -> tuple[str, str, int]:
    """Send ``delivery`` to its addresses; returns (status, error, SMS segments)."""
    if not to:
        return DeliveryStatus.FAILED, "no recipient", 0
    if delivery.channel == Channel.EMAIL:
        body = f"{delivery.body}\n\n{delivery.link}\n\n{footer()}".replace("\n\n\n\n", "\n\n")
        try:
            EmailMessage(subject=delivery.subject, body=body, to=to).send()
        except OSError as error:
            return DeliveryStatus.FAILED, type(error).__name__, 0
        return DeliveryStatus.SENT, "", 0
    if delivery.channel == Channel.SMS:
        return sms_send(delivery, to, now=now)
    return push_send(delivery, [int(pk) for pk in to])
