"""Reads of the action log, for the administrators' screen (newest first, filtered)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from .models import ActionLogEntry


def action_log_search(
    *,
    action: str = "",
    object_type: str = "",
    actor_email: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[ActionLogEntry]:
    entries = ActionLogEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action__startswith=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if actor_email:
        entries = entries.filter(actor__email__icontains=actor_email)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries.order_by("-at", "-pk")
