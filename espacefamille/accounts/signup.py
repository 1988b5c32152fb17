"""Self sign-up ("Je n'ai pas de compte"): a login that holds no household file yet; the family
then enters the join code its town sent."""

from __future__ import annotations

from django.db import transaction

from .models import User, normalize_email


@transaction.atomic
def user_signup(*, email: str, password: str, first_name: str, last_name: str) -> User:
    return User.objects.create_user(
        email=normalize_email(email),
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
