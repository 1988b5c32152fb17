"""Password rules of seed 004, plus Django's common-password list."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from config import settings as production_settings
from espacefamille.accounts.forms import SignupForm
from espacefamille.accounts.models import User


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Court1!", "au minimum 8 caractères"),
        ("minuscules-1", "majuscule"),
        ("MAJUSCULES-1", "minuscule"),
        ("SansChiffre!", "chiffre"),
        ("SansSymbole1", "symbole"),
        ("P@ssw0rd", "trop courant"),
        ("Azerty123!", "trop courant"),
        ("MotDePasse-2026", "trop courant"),
    ],
)
def test_weak_passwords_are_refused_with_a_french_reason(password: str, expected: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_password(password, User(email="parent@example.org"))
    assert expected in " ".join(error.value.messages)


def test_a_good_password_passes() -> None:
    validate_password("Cantine-du-Lundi-7", User(email="parent@example.org"))


@pytest.mark.django_db
def test_signup_form_requires_identical_confirmation() -> None:
    form = SignupForm(
        data={
            "last_name": "MARTIN",
            "first_name": "Léa",
            "email": "lea@example.org",
            "password1": "Cantine-du-Lundi-7",
            "password2": "Cantine-du-Lundi-8",
        }
    )
    assert not form.is_valid()
    assert "identiques" in form.errors["password2"][0]


@pytest.mark.django_db
def test_password_is_hashed_with_argon2(settings: Any) -> None:
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS  # the tests hash with MD5
    user = User.objects.create_user("lea@example.org", "Cantine-du-Lundi-7")
    assert user.password.startswith("argon2")
    assert user.check_password("Cantine-du-Lundi-7")
