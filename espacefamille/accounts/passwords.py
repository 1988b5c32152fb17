"""Password rules of the seed guide (seed 004): at least 8 characters, an upper-case letter, a
lower-case letter, a digit and a symbol; common passwords are refused by Django's validator."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RULES = [
    ("upper", lambda p: any(c.isupper() for c in p), "Un caractère en majuscule"),
    ("lower", lambda p: any(c.islower() for c in p), "Un caractère en minuscule"),
    ("digit", lambda p: any(c.isdigit() for c in p), "Un chiffre"),
    ("symbol", lambda p: any(not c.isalnum() for c in p), "Un symbole"),
]


class CharacterClassesValidator:
    def validate(self, password: str, user: Any = None) -> None:
        missing = [label for _key, check, label in RULES if not check(password)]
        if missing:
            raise ValidationError(
                _("Le mot de passe doit contenir : %(missing)s.")
                % {"missing": ", ".join(_(m).lower() for m in missing)},
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _(
            "Le mot de passe doit contenir une majuscule, une minuscule, un chiffre et un symbole."
        )


# Django's list is English-centred; these French favourites, decorated with digits and symbols
# to pass the character rules ("Azerty123!", "Motdepasse1!"), are just as easy to guess.
FRENCH_COMMON_WORDS = frozenset(
    {
        "azerty",
        "azertyuiop",
        "motdepasse",
        "bonjour",
        "soleil",
        "doudou",
        "loulou",
        "chouchou",
        "marseille",
        "paris",
        "toulouse",
        "nicolas",
        "camille",
        "julien",
        "thomas",
        "jetaime",
        "coucou",
        "famille",
        "enfant",
        "enfants",
        "cantine",
        "mairie",
        "espacefamille",
        "qwerty",
        "password",
        "motdepass",
        "secret",
        "bienvenue",
        "amour",
        "princesse",
        "chocolat",
        "france",
    }
)


class FrenchCommonPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        letters = "".join(c for c in password.lower() if c.isalpha())
        if letters in FRENCH_COMMON_WORDS:
            raise ValidationError(
                _("Ce mot de passe est trop courant : choisissez-en un plus personnel."),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Le mot de passe ne doit pas être un mot de passe courant.")
