"""The unique mandate reference ("RUM"): at most 35 characters of the SEPA set, unique per
creditor. Made of the town, the household and a random part, so a new one never repeats."""

from __future__ import annotations

import re
import secrets

from django.utils.translation import gettext as _

# EPC: A-Z a-z 0-9 / - ? : ( ) . , ' + and space; here without space, for safe copying.
RUM_PATTERN = re.compile(r"^[A-Za-z0-9/\-?:().,'+]{1,35}$")


def rum_error(rum: str) -> str:
    """A French message when ``rum`` is not a valid reference, else ""."""
    if not RUM_PATTERN.match(rum or ""):
        return _(
            "La RUM doit compter 1 à 35 caractères : lettres sans accent, chiffres "
            "et / - ? : ( ) . , ' +"
        )
    if rum.startswith("/") or "//" in rum:
        return _("La RUM ne peut ni commencer par « / » ni contenir « // ».")
    return ""


def new_rum(*, municipality_id: int, household_id: int) -> str:
    """``EF-<town>-<household>-<random>``: well under 35 characters."""
    return f"EF-{municipality_id}-{household_id}-{secrets.token_hex(4).upper()}"
