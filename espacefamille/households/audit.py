"""The change log of household files: who changed what, old → new (read by the town). The
values are taken as the town's action log takes them (``audit.records``).

Values are written to the database for the town, never to the application logs."""

from __future__ import annotations

from typing import Any

from django.db import models

from espacefamille.audit.records import Actor, diff, snapshot

from .models import Child, Guardian, Household, HouseholdChange
from .sharing import child_household_ids

__all__ = ["diff", "record_change", "snapshot"]


def record_change(
    *,
    household: Household,
    actor: Actor,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]],
) -> HouseholdChange | None:
    """Write one change row; an update that changed nothing writes nothing. A change of a
    shared child's data is written to each of its households: a household reads the other
    household's change as made by "l'autre foyer" (``by_other_household``), never by name."""
    if action == HouseholdChange.Action.UPDATE and not changes:
        return None
    targets = [household.pk]
    if isinstance(obj, Child):
        targets = list(dict.fromkeys([household.pk, *child_household_ids(obj)]))
    author = _author_household(actor, household.municipality_id) if len(targets) > 1 else None
    rows = [
        HouseholdChange(
            municipality_id=household.municipality_id,
            household_id=target,
            actor=None if author not in (None, target) else _user(actor),
            action=action,
            object_type=obj._meta.model_name or "",
            object_id=obj.pk,
            object_repr=str(obj)[:200],
            changes=changes,
            by_other_household=author not in (None, target),
        )
        for target in targets
    ]
    HouseholdChange.objects.bulk_create(rows)
    return rows[0]


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _author_household(actor: Actor, municipality_id: int) -> int | None:
    """The household of the guardian who made a change (None: an agent, a key, nobody)."""
    pk = getattr(actor, "pk", None)
    if not pk:
        return None
    return (
        Guardian.objects.filter(user_id=pk, municipality_id=municipality_id)
        .values_list("household_id", flat=True)
        .first()
    )
