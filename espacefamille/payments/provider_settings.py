"""What the administrators set for online payment: the provider of each régie (or the town's
default one) — an eopayment backend and its options — and what a prepaid cancellation yields
per régie (``CancellationRule``).

A provider's options hold secrets (keys, shared secrets, passwords). They are never shown
back in full — a form shows "••••1234" and a field left empty keeps the stored value — and
the action log records them masked, before and after. The parameters a backend takes come
from eopayment's own description of it; the return URLs are ours, computed, never typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import eopayment
from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record
from espacefamille.catalog.models import Service
from espacefamille.core.models import Municipality
from espacefamille.core.secret_mask import mask

from .errors import PaymentError, PaymentReason
from .models import CancellationRule, ProviderConfig
from .option_texts import TEST_OPTIONS, choice_label, option_help, option_label
from .providers import DEMO_BACKEND, demo_bank_allowed

# The backends offered, by eopayment name, with the label agents know.
BACKENDS = {
    "payfip_ws": "PayFiP (DGFiP, web-service)",
    "systempayv2": "SystemPay (Caisse d'Épargne, Banque Populaire)",
    "payzen": "PayZen",
    "paybox": "Paybox (Verifone)",
    "ogone": "Ogone / Worldline",
    "sips2": "Sips 2 (Worldline)",
    "mollie": "Mollie",
    "dummy": "Démonstration (aucun paiement réel)",
}
COMPUTED = {"normal_return_url", "automatic_return_url", "dummy_service_url"}
SECRET_WORDS = ("secret", "key", "password", "cle", "sha_", "hmac")


@dataclass(frozen=True)
class Parameter:
    name: str
    caption: str
    help: str
    required: bool
    choices: list[tuple[str, str]]
    secret: bool


def is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS)


def _choice(name: str, choice: Any) -> tuple[str, str]:
    """eopayment lists a parameter's choices as (value, label) pairs or as bare values; the
    label shown is French (``option_texts``)."""
    if isinstance(choice, (tuple, list)) and len(choice) == 2:
        value, label = str(choice[0]), str(choice[1])
    else:
        value = label = str(choice)
    return value, choice_label(name, value, label)


def offered_backends(*, current: str = "") -> dict[str, str]:
    """The backends an administrator may choose: the demo bank only in the demo (DEBUG or
    DEMO_BANK), or when it is the one already set (so that it can be replaced)."""
    if demo_bank_allowed() or current == DEMO_BACKEND:
        return dict(BACKENDS)
    return {name: label for name, label in BACKENDS.items() if name != DEMO_BACKEND}


def backend_parameters(backend: str) -> list[Parameter]:
    """The options eopayment says ``backend`` takes, but the URLs we compute and the demo
    bank's test inputs, with their French label and help."""
    if backend not in BACKENDS:
        return []
    description = eopayment.get_backend(backend).description
    parameters = []
    for parameter in description.get("parameters", []):
        name = parameter["name"]
        if name in COMPUTED or name in TEST_OPTIONS or " " in name or parameter.get("deprecated"):
            continue
        choices = [_choice(name, choice) for choice in parameter.get("choices", [])]
        parameters.append(
            Parameter(
                name=name,
                caption=option_label(name),
                help=option_help(name),
                required=bool(parameter.get("required")),
                choices=choices,
                secret=is_secret(name),
            )
        )
    return parameters


def masked(options: dict[str, Any]) -> dict[str, Any]:
    return {key: mask(value) if is_secret(key) else value for key, value in options.items()}


def _snapshot(config: ProviderConfig) -> dict[str, Any]:
    return {
        "backend": config.backend,
        "service": str(config.service) if config.service else "",
        "is_active": config.is_active,
        "options": masked(config.options or {}),
    }


@transaction.atomic
def provider_save(
    *,
    municipality: Municipality,
    config: ProviderConfig | None,
    service: Service | None,
    backend: str,
    options: dict[str, str],
    is_active: bool,
    actor: Actor,
) -> ProviderConfig:
    """Create or change a régie's provider. An empty secret keeps the stored one; an empty
    ordinary option is removed. Raises ``PaymentError`` (French) and writes nothing."""
    if backend not in offered_backends(current=config.backend if config is not None else ""):
        raise PaymentError(
            PaymentReason.UNKNOWN_BACKEND, _("Prestataire inconnu."), field="backend"
        )
    if service is not None and service.municipality_id != municipality.pk:
        raise PaymentError(PaymentReason.UNKNOWN_SERVICE, _("Régie inconnue."), field="service")
    clash = ProviderConfig.objects.filter(service=service)
    if config is not None:
        clash = clash.exclude(pk=config.pk)
    if clash.exists():
        raise PaymentError(
            PaymentReason.SERVICE_HAS_PROVIDER,
            _("Cette régie a déjà un prestataire : modifiez celui-ci."),
            field="service",
        )
    stored = dict(config.options or {}) if config is not None and config.backend == backend else {}
    merged: dict[str, str] = {}
    missing = []
    for parameter in backend_parameters(backend):
        value = (options.get(parameter.name) or "").strip()
        if not value and parameter.secret:
            value = str(stored.get(parameter.name) or "")
        if value:
            merged[parameter.name] = value
        elif parameter.required:
            missing.append(parameter.caption)
    if missing:
        raise PaymentError(
            PaymentReason.SETTINGS_MISSING,
            _("Renseignez : %(names)s.") % {"names": ", ".join(missing)},
        )
    before = _snapshot(config) if config is not None else {}
    if config is None:
        config = ProviderConfig(municipality=municipality)
    config.service = service
    config.backend = backend
    config.options = merged
    config.is_active = is_active
    config.save()
    after = _snapshot(config)
    action_record(
        municipality_id=municipality.pk,
        actor=actor,
        action="payment_provider.update" if before else "payment_provider.create",
        obj=config,
        changes={
            name: [before.get(name), after.get(name)]
            for name in after
            if before.get(name) != after.get(name)
        },
    )
    return config


@transaction.atomic
def cancellation_rule_save(
    *, municipality: Municipality, service: Service, outcome: str, actor: Actor
) -> CancellationRule:
    """Set what a prepaid booking cancelled within its deadline yields in ``service``."""
    if service.municipality_id != municipality.pk:
        raise PaymentError(PaymentReason.UNKNOWN_SERVICE, _("Régie inconnue."), field="service")
    rule = CancellationRule.objects.filter(service=service).first()
    before = rule.outcome if rule else ""
    if rule is None:
        rule = CancellationRule(municipality=municipality, service=service)
    rule.outcome = outcome
    rule.full_clean(exclude=["municipality", "service"])
    rule.save()
    if before != outcome:
        action_record(
            municipality_id=municipality.pk,
            actor=actor,
            action="cancellation_rule.update",
            obj=rule,
            object_repr=str(service),
            changes={"outcome": [before, outcome]},
        )
    return rule
