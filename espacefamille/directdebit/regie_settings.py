"""A régie's direct debit settings, as an administrator types them: the creditor identifier
(ICS, its check digits verified), the account credited (schwifty), how debits are collected
and the notice. Refused in French, nothing written; the action log keeps the change."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record, diff, snapshot
from espacefamille.catalog.models import Service

from .ibans import IbanError, clean_bic, clean_iban
from .models import CollectionMode, DirectDebitSettings
from .services import DirectDebitError

ICS_PATTERN = re.compile(r"^([A-Z]{2})(\d{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$")
FIELDS = [
    "is_enabled",
    "creditor_name",
    "creditor_id",
    "creditor_iban",
    "creditor_bic",
    "collection_mode",
    "notice_days",
]


def ics_error(text: str) -> str:
    """A French message when ``text`` is not a SEPA creditor identifier, else ""."""
    match = ICS_PATTERN.match(text or "")
    if match is None:
        return _("Un ICS s'écrit comme FR72ZZZ123456 : pays, clé, 3 caractères, identifiant.")
    country, key, _business, national = match.groups()
    digits = "".join(str(int(char, 36)) for char in national + country + "00")
    if 98 - int(digits) % 97 != int(key):
        return _("La clé de contrôle de cet ICS ne correspond pas : vérifiez-le.")
    return ""


@transaction.atomic
def regie_settings_save(
    *, service: Service, data: dict[str, Any], user: Any
) -> DirectDebitSettings:
    config = DirectDebitSettings.objects.filter(service=service).first() or DirectDebitSettings(
        municipality_id=service.municipality_id, service=service
    )
    before = snapshot(config, FIELDS) if config.pk else {}
    ics = "".join(str(data.get("creditor_id", "")).split()).upper()
    if problem := ics_error(ics):
        raise DirectDebitError("ics", problem)
    name = " ".join(str(data.get("creditor_name", "")).split())
    if not name or len(name) > 70:
        raise DirectDebitError(
            "creditor_name", _("Indiquez le nom du créancier (70 caractères au plus).")
        )
    mode = data.get("collection_mode")
    if mode not in CollectionMode.values:
        raise DirectDebitError("mode", _("Choisissez qui effectue le prélèvement."))
    try:
        iban = clean_iban(data["creditor_iban"]) if data.get("creditor_iban") else ""
        bic = clean_bic(data.get("creditor_bic", ""))
    except IbanError as error:
        raise DirectDebitError("creditor_iban", error.message) from error
    if mode == CollectionMode.REGIE and not iban:
        raise DirectDebitError(
            "creditor_iban",
            _("Une régie qui prélève elle-même indique l'IBAN du compte crédité."),
        )
    notice = data.get("notice_days")
    if not isinstance(notice, int) or not 1 <= notice <= 60:
        raise DirectDebitError("notice", _("Le préavis compte de 1 à 60 jours."))
    config.is_enabled = bool(data.get("is_enabled"))
    config.creditor_name, config.creditor_id = name, ics
    config.creditor_iban, config.creditor_bic = iban, bic
    config.collection_mode, config.notice_days = mode, notice
    config.save()
    after = snapshot(config, FIELDS)
    for key in ("creditor_iban",):  # an account number is never logged in full
        after[key] = f"…{iban[-4:]}" if iban else ""
        if key in before:
            before[key] = f"…{str(before[key])[-4:]}" if before[key] else ""
    action_record(
        municipality_id=service.municipality_id,
        actor=user,
        action="direct_debit_settings.update",
        obj=config,
        changes=diff(before, after),
    )
    return config
