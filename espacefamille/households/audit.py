"""The change log of household files: who changed what, old → new (read by the town). The
values are taken as the town's action log takes them (``audit.records``).

Values are written to the database for the town, never to the application logs."""

from __future__ import annotations

from typing import Any

from django.db import models

from espacefamille.audit.records import Actor, diff, snapshot

from .models import Household, HouseholdChange

__all__ = ["diff", "record_change", "snapshot"]


def record_change(
    *,
    household: Household,
    actor: Actor,
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
