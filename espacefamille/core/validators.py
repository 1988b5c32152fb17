"""What a typed text, postcode or birth date may hold, checked in the domain (model fields,
hence every ModelForm and service calling ``full_clean``, and the CSV import).

Invisible characters are refused in one-line texts: control characters (ESC, BEL, CR/LF…) end
up in CSV exports, e-mails and PDF pages, and the bidirectional overrides (U+202E…) make a
name read differently from what is stored. Names hold letters of any script, combining marks,
digits (the previous software numbered homonyms), spaces, apostrophes, hyphens and dots;
postcodes of France are five digits; a birth date lies between 1900 and today."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Cc: controls (incl. CR/LF, ESC, BEL); Cf: formats (bidi overrides, zero-width);
# Cs/Co/Cn: surrogates, private use, unassigned; Zl/Zp: line and paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
NAME_PUNCTUATION = frozenset(" '’-.")
FRENCH_POSTCODE = re.compile(r"[0-9]{5}")
FOREIGN_POSTCODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{0,8}[A-Za-z0-9]")
FRANCE_NAMES = frozenset({"", "france", "fr"})
EARLIEST_BIRTH = date(1900, 1, 1)
OLDEST_CHILD_YEARS = 30


def has_invisible_characters(value: str) -> bool:
    return any(unicodedata.category(char) in INVISIBLE_CATEGORIES for char in value)


def validate_single_line_text(value: Any) -> None:
    """A one-line text (address, household name, relationship…): no invisible character."""
    if isinstance(value, str) and has_invisible_characters(value):
        raise ValidationError(
            _("Ce texte contient des caractères invisibles ou de contrôle : retirez-les."),
            code="invisible_characters",
        )


def validate_person_name(value: Any) -> None:
    """A first or last name: letters of any alphabet, spaces, apostrophes, hyphens, dots."""
    if not isinstance(value, str) or not value:
        return
    validate_single_line_text(value)
    if not any(unicodedata.category(char).startswith("L") for char in value) or any(
        not unicodedata.category(char).startswith(("L", "M", "Nd")) and char not in NAME_PUNCTUATION
        for char in value
    ):
        raise ValidationError(
            _(
                "Un nom ne contient que des lettres, des chiffres, des espaces, des "
                "apostrophes, des traits d'union et des points."
            ),
            code="invalid_name",
        )


def is_france(country: str) -> bool:
    return country.strip().casefold() in FRANCE_NAMES


def postcode_error(postcode: str, *, country: str) -> str | None:
    """The French message if this postcode cannot be one of that country, else None."""
    if not postcode:
        return None
    if is_france(country):
        if not FRENCH_POSTCODE.fullmatch(postcode):
            return str(_("Un code postal français compte cinq chiffres, par exemple 84000."))
    elif not FOREIGN_POSTCODE.fullmatch(postcode):
        return str(_("Ce code postal n'est pas valide."))
    return None


def validate_birth_date(value: date | None) -> None:
    """Anybody's birth date: from 1900 to today (nobody is born in the future)."""
    if value is None:
        return
    if value < EARLIEST_BIRTH or value > timezone.localdate():
        raise ValidationError(
            _("Cette date de naissance n'est pas plausible (entre 1900 et aujourd'hui)."),
            code="implausible_birth_date",
        )


def validate_child_birth_date(value: date | None) -> None:
    """A child's birth date: not in the future and less than 30 years ago."""
    if value is None:
        return
    validate_birth_date(value)
    today = timezone.localdate()
    if value.year < today.year - OLDEST_CHILD_YEARS:
        raise ValidationError(
            _("Cette date de naissance n'est pas plausible pour un enfant."),
            code="implausible_birth_date",
        )


def name_taken(names: Iterable[str], name: str) -> bool:
    """Whether ``name`` is among ``names`` whatever the case and accents' case ("École" is
    "école"): compared in Python, as SQLite's own case folding stops at ASCII."""
    folded = name.casefold()
    return any(other.casefold() == folded for other in names)


def luhn_ok(digits: str) -> bool:
    """The Luhn key of an identifier of digits (a SIREN or SIRET): the doubled-digit sum is a
    multiple of 10."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
