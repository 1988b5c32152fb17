"""The treasury's codes as the PES V2 schema (v5.17) accepts them, checked when an administrator
types them: a setting the schema would refuse is refused on the screen, in French."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from espacefamille.core.validators import luhn_ok


def validate_siret(value: str) -> None:
    """``IdColl``: the collectivité's SIRET, 14 digits with a valid key."""
    if not re.fullmatch(r"[0-9]{14}", value or ""):
        raise ValidationError(
            _("Le SIRET compte exactement 14 chiffres, sans espace (ici %(count)s caractères)."),
            code="siret_length",
            params={"count": len(value or "")},
        )
    if not luhn_ok(value):
        raise ValidationError(
            _("Ce SIRET n'est pas valide : vérifiez les chiffres (clé de contrôle)."),
            code="siret_key",
        )


validate_cod_col = RegexValidator(
    r"^[0-9]{3}\Z",
    _("Le code collectivité (CodCol) compte exactement 3 chiffres, par exemple 012."),
    code="cod_col",
)
validate_cod_bud = RegexValidator(
    r"^[0-9A-Z][0-9]\Z",
    _(
        "Le code budget (CodBud) compte 2 caractères : un chiffre ou une lettre majuscule, "
        "puis un chiffre (par exemple 00 ou 01)."
    ),
    code="cod_bud",
)
validate_id_post = RegexValidator(
    r"^(02[AB][0-9]{3,4}|[0-9]{6,7})\Z",
    _(
        "Le code du poste comptable (IdPost) compte 6 ou 7 chiffres (ou 02A/02B suivi de 3 ou "
        "4 chiffres en Corse)."
    ),
    code="id_post",
)
validate_nature = RegexValidator(
    r"^[0-9]{1,12}\Z",
    _("La nature comptable compte de 1 à 12 chiffres, par exemple 7067."),
    code="nature",
)
validate_fonction = RegexValidator(
    r"^[0-9]{0,10}\Z",
    _("La fonction compte au plus 10 chiffres, par exemple 251."),
    code="fonction",
)
validate_cod_prod_loc = RegexValidator(
    r"^[0-9A-Za-z]{1,4}\Z",
    _("Le code produit local (CodProdLoc) compte de 1 à 4 lettres ou chiffres, sans espace."),
    code="cod_prod_loc",
)


def validate_nature_not_zero(value: str) -> None:
    if value and value.isdigit() and int(value) == 0:
        raise ValidationError(_("La nature comptable ne peut pas valoir zéro."), code="nature")
