"""Ending a login's sessions at once (a locked family, an agent's lost device).

Sessions live in the database and are keyed by a random id, not by login, so the live ones are
decoded to find the login's. A town locks few accounts; a per-login index of sessions would be
the next step if that ever shows up in measurements."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def sessions_end(*, user_ids: Iterable[int]) -> int:
    """Delete every live session of these logins; return how many were ended."""
    wanted = {str(user_id) for user_id in user_ids}
    if not wanted:
        return 0
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY, "")) in wanted
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)
