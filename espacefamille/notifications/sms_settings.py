"""What a town's administrators set for SMS (Configuration › SMS): the sender name a phone
shows (11 characters at most, letters, digits and spaces, at least one letter), the provider
(console for the demo, Brevo), its API key (a secret, kept like the payment providers' ones:
shown back masked, an empty field keeps the stored one, the action log records it masked), the
length a text is cut to and the price of one SMS; and the SMS the town sent month by month,
with their cost (the deliveries' counters)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record, diff
from espacefamille.core.models import Municipality
from espacefamille.core.secret_mask import mask

from .errors import NotificationError, NotificationReason
from .models import Channel, Delivery, DeliveryStatus, SmsProviderName, SmsSettings
from .sms import sender_name

PARIS = ZoneInfo("Europe/Paris")
SENDER_MAX = 11
LENGTH_RANGE = (160, 918)  # one SMS to six linked parts
COST_MAX = Decimal("1")
KEY_MAX = SmsSettings._meta.get_field("api_key").max_length or 200


def sms_settings_of(municipality: Municipality) -> SmsSettings:
    """The town's settings, or the defaults it would send with (not saved)."""
    found = SmsSettings.objects.filter(municipality=municipality).first()
    return found or SmsSettings(
        municipality=municipality, sender=sender_name(municipality.name), provider="console"
    )


def _snapshot(config: SmsSettings) -> dict[str, Any]:
    return {
        "provider": config.provider,
        "sender": config.sender,
        "api_key": mask(config.api_key) if config.api_key else "",
        "max_length": config.max_length,
        "unit_cost": str(Decimal(config.unit_cost).quantize(Decimal("0.0001"))),
    }


def _errors(
    *, provider: str, sender: str, api_key: str, stored_key: str, max_length: int, cost: Decimal
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not sender:
        errors["sender"] = _("Saisissez le nom d'expéditeur affiché sur les téléphones.")
    elif len(sender) > SENDER_MAX:
        errors["sender"] = _("Le nom d'expéditeur a 11 caractères au plus (espaces compris).")
    elif not all(c.isascii() and (c.isalnum() or c == " ") for c in sender):
        errors["sender"] = _(
            "Le nom d'expéditeur ne contient que des lettres sans accent, des chiffres et des "
            "espaces."
        )
    elif not any(c.isalpha() for c in sender):
        errors["sender"] = _("Le nom d'expéditeur contient au moins une lettre.")
    if provider not in SmsProviderName.values:
        errors["provider"] = _("Choisissez un fournisseur de la liste.")
    if api_key and (len(api_key) > KEY_MAX or any(c.isspace() for c in api_key)):
        errors["api_key"] = _(
            "La clé d'API ne contient ni espace ni retour à la ligne, et a 200 caractères au plus."
        )
    elif provider == SmsProviderName.BREVO and not (api_key or stored_key):
        errors["api_key"] = _("Saisissez la clé d'API de Brevo pour envoyer des SMS.")
    if not LENGTH_RANGE[0] <= max_length <= LENGTH_RANGE[1]:
        errors["max_length"] = _("Choisissez une longueur entre 160 et 918 caractères.")
    if not Decimal("0") <= cost <= COST_MAX or cost != cost.quantize(Decimal("0.0001")):
        errors["unit_cost"] = _(
            "Le coût d'un SMS est compris entre 0 et 1 €, avec 4 décimales au plus."
        )
    return errors


@transaction.atomic
def sms_settings_save(
    *,
    municipality: Municipality,
    provider: str,
    sender: str,
    api_key: str,
    max_length: int,
    unit_cost: Decimal,
    actor: Actor,
) -> SmsSettings:
    """Raises ``NotificationError`` (its field errors in French) and writes nothing on a bad
    value. An empty ``api_key`` keeps the stored one; the console provider forgets it."""
    config = SmsSettings.objects.select_for_update().filter(
        municipality=municipality
    ).first() or SmsSettings(municipality=municipality)
    before = _snapshot(config) if config.pk else {}
    sender, api_key = sender.strip(), api_key.strip()
    errors = _errors(
        provider=provider,
        sender=sender,
        api_key=api_key,
        stored_key=config.api_key,
        max_length=max_length,
        cost=unit_cost,
    )
    if errors:
        raise NotificationError(
            NotificationReason.SMS_SETTINGS,
            _("Les réglages ne sont pas enregistrés : corrigez les champs signalés."),
            field_errors={name: [message] for name, message in errors.items()},
        )
    config.provider = provider
    config.sender = sender
    config.api_key = "" if provider == SmsProviderName.CONSOLE else (api_key or config.api_key)
    config.max_length = max_length
    config.unit_cost = unit_cost
    config.save()
    action_record(
        municipality_id=municipality.pk,
        actor=actor,
        action="sms_settings.update",
        obj=config,
        changes=diff(before, _snapshot(config)),
    )
    return config


@dataclass(frozen=True)
class MonthUsage:
    month: date  # its first day
    messages: int  # SMS deliveries sent (one per family and notice)
    parts: int  # what the provider counts and bills
    cost: Decimal


def _month_start(day: date) -> datetime:
    return datetime(day.year, day.month, 1, tzinfo=PARIS)


def sms_usage_by_month(
    municipality: Municipality, *, today: date, months: int = 6
) -> list[MonthUsage]:
    """The town's SMS of this month and the ``months - 1`` before, newest first, priced at the
    town's current cost of one SMS part."""
    config = SmsSettings.objects.filter(municipality=municipality).first()
    unit_cost = config.unit_cost if config else Decimal(0)
    firsts = []
    year, month = today.year, today.month
    for _step in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    rows = []
    for index, first in enumerate(firsts):
        after = firsts[index - 1] if index else None
        sent = Delivery.objects.filter(
            municipality=municipality,
            channel=Channel.SMS,
            status=DeliveryStatus.SENT,
            sent_at__gte=_month_start(first),
        )
        if after is not None:
            sent = sent.filter(sent_at__lt=_month_start(after))
        totals = sent.aggregate(n=Count("pk"), parts=Sum("segments"))
        parts = totals["parts"] or 0
        rows.append(
            MonthUsage(
                month=first,
                messages=totals["n"],
                parts=parts,
                cost=(Decimal(parts) * unit_cost).quantize(Decimal("0.01")),
            )
        )
    return rows
