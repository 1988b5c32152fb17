"""IBANs and BICs checked by schwifty, with French messages; the IBAN shown masked."""

from __future__ import annotations

from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from .errors import IbanError

# SEPA countries whose IBANs a French creditor may debit (EPC list, ISO codes).
SEPA_COUNTRIES = frozenset(
    [
        "AD",
        "AT",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "SM",
        "VA",
        "GF",
        "GP",
        "MQ",
        "RE",
        "YT",
        "PM",
        "BL",
        "MF",
        "NC",
        "PF",
        "WF",
    ]
)


def clean_iban(text: str) -> str:
    """The IBAN in its compact form (``FR76…``), or ``IbanError`` in French."""
    compact = "".join(str(text or "").split()).upper()
    if not compact:
        raise IbanError(_("Saisissez l'IBAN du compte à prélever."))
    try:
        iban = IBAN(compact)
    except SchwiftyException as error:
        raise IbanError(
            _("Cet IBAN n'est pas valide : vérifiez chacun de ses caractères.")
        ) from error
    if iban.country_code not in SEPA_COUNTRIES:
        raise IbanError(_("Seul un compte d'un pays de la zone SEPA peut être prélevé."))
    return str(iban.compact)


def derive_bic(iban: str) -> str:
    """The bank's BIC when schwifty's registry knows it, else ""."""
    try:
        bic = IBAN(iban).bic
    except SchwiftyException:
        return ""
    return str(bic.compact) if bic is not None else ""


def clean_bic(text: str) -> str:
    compact = "".join(str(text or "").split()).upper()
    if not compact:
        return ""
    try:
        return str(BIC(compact).compact)
    except SchwiftyException as error:
        raise IbanError(_("Ce BIC n'est pas valide (8 ou 11 caractères).")) from error


def mask_iban(iban: str) -> str:
    """``FR76 •••• •••• 1234``: the country, its key and the last four characters."""
    compact = "".join(str(iban or "").split())
    if len(compact) < 8:
        return "••••"
    return f"{compact[:4]} •••• •••• {compact[-4:]}"
