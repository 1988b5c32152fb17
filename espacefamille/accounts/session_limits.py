"""How long a signed-in session lives: it ends after ``SESSION_IDLE_TIMEOUT`` without a
request (30 minutes) and ``SESSION_ABSOLUTE_LIMIT`` after sign-in (12 hours) whatever the
activity; the cookie also dies with the browser (``SESSION_EXPIRE_AT_BROWSER_CLOSE``).

The agents' back office keeps its own idle clock (``backoffice.acting``, same 30 minutes, its
"session expirée" page), so the idle check here leaves ``/agents/`` to it; the absolute limit
holds for everybody. A login made inactive, like a household the town locks
(``access_locks``), loses its sessions at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .models import User
from .sessions import sessions_end

SIGNED_IN_AT_KEY = "signed_in_at"
LAST_SEEN_KEY = "last_seen"
TOUCH_EVERY = 60  # seconds: refresh the idle clock at most once a minute (one session write)


@receiver(user_logged_in)
def session_clock_start(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


@receiver(post_save, sender=User)
def inactive_user_sessions_end(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if not created and not instance.is_active:
        sessions_end(user_ids=[instance.pk])


def session_expired(request: HttpRequest, now: float) -> bool:
    session = request.session
    signed_in_at = session.setdefault(SIGNED_IN_AT_KEY, now)
    last_seen = session.setdefault(LAST_SEEN_KEY, now)
    if now - signed_in_at > settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
        return True
    if request.path.startswith("/agents/"):
        return False  # the back office's own idle clock (backoffice.acting)
    if now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return True
    if now - last_seen > TOUCH_EVERY:
        session[LAST_SEEN_KEY] = now
    return False


class SessionLifetimeMiddleware:
    """After ``AuthenticationMiddleware`` and ``MessageMiddleware``: signs out a session past
    its idle or absolute limit before the view runs (the page then asks to sign in again)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and session_expired(request, time.time()):
            logout(request)
            messages.info(request, _("Votre session a expiré : reconnectez-vous."))
        return self.get_response(request)
