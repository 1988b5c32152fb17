"""What an administrator sets for API Particulier: the token (a secret: shown masked, an
empty field keeps the stored one, the action log records it masked), the town's SIRET sent
as ``recipient``, the service on or off, the pause of the yearly refresh."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record, diff
from espacefamille.core.models import Municipality
from espacefamille.core.secret_mask import mask
from espacefamille.core.validators import luhn_ok

from .errors import QuotientError
from .models import QuotientSettings


def siret_error(value: str) -> str | None:
    """A SIRET is 14 digits whose Luhn sum is a multiple of 10 (La Poste's own rule aside)."""
    if len(value) != 14 or not value.isdigit():
        return _("Un SIRET a exactement 14 chiffres.")
    if value.startswith("356000000"):  # La Poste: the digits add up to a multiple of 5
        return None if sum(int(c) for c in value) % 5 == 0 else _("Ce SIRET n'existe pas.")
    return None if luhn_ok(value) else _("Ce SIRET n'existe pas (clé de contrôle fausse).")


def settings_of(municipality: Municipality) -> QuotientSettings | None:
    return QuotientSettings.objects.filter(municipality=municipality).first()


def _snapshot(config: QuotientSettings) -> dict[str, Any]:
    return {
        "is_enabled": config.is_enabled,
        "recipient": config.recipient,
        "token": mask(config.token) if config.token else "",
        "refresh_pause": str(config.refresh_pause),
    }


@transaction.atomic
def quotient_settings_save(
    *,
    municipality: Municipality,
    token: str,
    recipient: str,
    is_enabled: bool,
    refresh_pause: Decimal,
    actor: Actor,
) -> QuotientSettings:
    """Raises ``QuotientError`` (its field errors in French) and writes nothing on a bad value."""
    config = QuotientSettings.objects.select_for_update().filter(
        municipality=municipality
    ).first() or QuotientSettings(municipality=municipality)
    before = _snapshot(config) if config.pk else {}
    token = token.strip()
    recipient = recipient.replace(" ", "").strip()
    errors: dict[str, str] = {}
    if recipient and (error := siret_error(recipient)):
        errors["recipient"] = error
    if token and (len(token) > 4000 or any(c.isspace() for c in token)):
        errors["token"] = _("Le jeton ne doit contenir ni espace ni retour à la ligne.")
    if not Decimal("0") <= refresh_pause <= Decimal("60"):
        errors["refresh_pause"] = _("Choisissez une pause entre 0 et 60 secondes.")
    new_token = token or config.token
    if is_enabled and not new_token:
        errors["token"] = _("Saisissez le jeton pour activer le service.")
    if is_enabled and not (recipient or config.recipient):
        errors["recipient"] = _("Saisissez le SIRET de la commune pour activer le service.")
    if errors:
        raise QuotientError(
            "settings",
            _("Les réglages ne sont pas enregistrés : corrigez les champs signalés."),
            field_errors={name: [message] for name, message in errors.items()},
        )
    config.token = new_token
    config.recipient = recipient or config.recipient
    config.is_enabled = is_enabled
    config.refresh_pause = refresh_pause
    config.save()
    action_record(
        municipality_id=municipality.pk,
        actor=actor,
        action="quotient_settings.update",
        obj=config,
        changes=diff(before, _snapshot(config)),
    )
    return config
