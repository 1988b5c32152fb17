"""Limits on sign-in and sign-up that axes does not give.

Axes locks an account *from one address* after ``AXES_FAILURE_LIMIT`` failures (15 minutes),
so a family behind a shared address is not locked out by a neighbour. An attacker rotating
addresses would get five more tries per address: ``ACCOUNT_FAILURE_LIMIT`` failures on one
account from any addresses within ``ACCOUNT_LOCKOUT_WINDOW`` lock the account for that window
(its own cool-off), whatever the address. A successful sign-in (before the limit) or a new
password clears the count.

Sign-ups are limited per client address: ``SIGNUP_LIMIT_PER_ADDRESS`` within
``SIGNUP_WINDOW``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from .client_address import client_address
from .models import LoginFailure, SignupAttempt, normalize_email


def account_is_locked(username: str) -> bool:
    since = timezone.now() - settings.ACCOUNT_LOCKOUT_WINDOW
    failures = LoginFailure.objects.filter(username=normalize_email(username), at__gte=since)
    return failures.count() >= settings.ACCOUNT_FAILURE_LIMIT


def account_failures_clear(username: str) -> None:
    LoginFailure.objects.filter(username=normalize_email(username)).delete()


class AccountLockoutBackend(ModelBackend):
    """First in ``AUTHENTICATION_BACKENDS``: refuses an account over its limit before any
    password is checked, and lets axes' middleware answer with the lockout page. It never
    authenticates anybody itself; it reads the signed-in user back as ``ModelBackend`` does
    (``force_login`` and the session name the first backend)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if username and account_is_locked(username):
            if request is not None:
                request.axes_locked_out = True  # type: ignore[attr-defined]
                request.account_locked_out = True  # type: ignore[attr-defined]
            raise PermissionDenied
        return None


@receiver(user_login_failed)
def login_failure_record(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = credentials.get("username") or credentials.get("email")
    if not username or getattr(request, "account_locked_out", False):
        return
    LoginFailure.objects.create(username=normalize_email(str(username))[:254])


@receiver(user_logged_in)
def login_failures_forget(sender: Any, user: Any, **kwargs: Any) -> None:
    account_failures_clear(user.get_username())


def signup_allowed(request: HttpRequest) -> bool:
    """Record this sign-up from the client's address; False once over the address's limit."""
    address = client_address(request)
    since = timezone.now() - settings.SIGNUP_WINDOW
    recent = SignupAttempt.objects.filter(address=address, at__gte=since).count()
    if recent >= settings.SIGNUP_LIMIT_PER_ADDRESS:
        return False
    SignupAttempt.objects.create(address=address)
    SignupAttempt.objects.filter(at__lt=since).delete()
    return True
