"""The change log of household files: who changed what, old → new (read by the town).

Values are written to the database for the town, never to the application logs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import Household, HouseholdChange


def _display(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The displayable values of ``fields`` of ``obj`` (many-to-many as sorted labels)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = _display(list(getattr(obj, name).all()) if obj.pk else [])
        else:
            values[name] = _display(getattr(obj, name))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record_change(
    *,
    household: Household,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]],
) -> HouseholdChange | None:
    """Write one change row; an update that changed nothing writes nothing."""
    if action == HouseholdChange.Action.UPDATE and not changes:
        return None
    return HouseholdChange.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        changes=changes,
    )
