"""How services write the action log: ``action_record`` inside their own transaction, with the
values before and after as displayable JSON (``snapshot`` and ``diff``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db import models

from .models import ActionLogEntry

if TYPE_CHECKING:
    # django-stubs resolves this alias to settings.AUTH_USER_MODEL, so the action log names
    # the login type without importing accounts (which sits above audit).
    from django.contrib.auth.models import _User

Actor: TypeAlias = "_User | None"
"""Who acts, as the action log records it: a signed-in login (a family's guardian on the
portal, an agent in the back office: both are logins), or ``None`` for the system itself (a
management command, a task, a file import). An API key will act as the login that holds it."""


def displayable(value: Any) -> Any:
    """A JSON-friendly, human-readable form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(str(item) for item in value)
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The displayable values of ``fields`` of ``obj`` (many-to-many as sorted labels)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = displayable(list(getattr(obj, name).all()) if obj.pk else [])
        else:
            values[name] = displayable(getattr(obj, name))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every value that changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def action_record(
    *,
    municipality_id: int,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: int | None = None,
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
) -> ActionLogEntry:
    """Write one entry. ``action`` is ``<entity>.<verb>`` (``household.create``…)."""
    if obj is not None:
        object_type = object_type or (obj._meta.model_name or "")
        object_id = object_id if object_id is not None else obj.pk
        object_repr = object_repr or str(obj)
    return ActionLogEntry.objects.create(
        municipality_id=municipality_id,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
    )


def actions_record(
    *,
    municipality_id: int,
    actor: Actor,
    action: str,
    objects: Iterable[models.Model],
    changes: dict[str, Any],
) -> int:
    """The same entry for each of many objects (a closure cancels thousands of bookings), in
    batched inserts rather than one statement each; returns how many were written."""
    entries = [
        ActionLogEntry(
            municipality_id=municipality_id,
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            object_type=obj._meta.model_name or "",
            object_id=obj.pk,
            object_repr=str(obj)[:200],
            changes=changes,
        )
        for obj in objects
    ]
    ActionLogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
