"""Self sign-up ("Je n'ai pas de compte"): a login that holds no household file yet; the family
confirms its address through the e-mailed link, then enters the join code its town sent.

The answer never says whether the address already has an account (that would let anybody test
addresses): a new address gets a confirmation link, an existing one an e-mail to its owner,
and both see the same page."""

from __future__ import annotations

from django.db import transaction

from .emails import account_email_queue
from .models import User, normalize_email


@transaction.atomic
def user_signup(
    *, email: str, password: str, first_name: str, last_name: str, base_url: str
) -> User | None:
    """Create the (inactive) login and queue its confirmation e-mail; for an address that has
    an account already, queue an e-mail to its owner instead and return None."""
    email = normalize_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        account_email_queue(user=existing, kind="signup_existing", base_url=base_url)
        return None
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        is_active=False,
    )
    account_email_queue(user=user, kind="signup_confirm", base_url=base_url)
    return user


@transaction.atomic
def user_signup_confirm(*, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
