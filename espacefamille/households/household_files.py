"""The town's side of household files: an agent creates a household, edits it, its guardians
and children. Each function changes the file through the household services (and their change
log, which the family's history shows) and writes the town's action log. Objects are re-read
as stored before a change, so "before" is right even when a model form edited the instance."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record, diff, snapshot
from espacefamille.core.models import Municipality
from espacefamille.core.validators import validate_single_line_text
from espacefamille.households.errors import HouseholdError, HouseholdReason

from . import services
from .audit import record_change
from .models import Child, Diet, Guardian, Household, HouseholdChange

CHILD_AGENT_FIELDS = [
    "civility",
    "first_name",
    "last_name",
    "birth_date",
    "school",
    "school_class",
    "has_care_plan",
]


def _log(
    *, actor: Actor, action: str, obj: Guardian | Child | Household, changes: dict[str, Any]
) -> None:
    """One action-log entry; an update that changed nothing writes none."""
    if changes or not action.endswith(".update"):
        action_record(
            municipality_id=obj.municipality_id,
            actor=actor,
            action=action,
            obj=obj,
            changes=changes,
        )


@transaction.atomic
def household_create(
    *, municipality: Municipality, actor: Actor, name: str, guardian_data: dict[str, Any]
) -> Household:
    """A new household file with its first guardian (the invoices' recipient)."""
    name = " ".join(name.split())
    if not name:
        raise HouseholdError(
            HouseholdReason.NAME_REQUIRED, _("Le nom du foyer est obligatoire."), field="name"
        )
    try:
        validate_single_line_text(name)
    except ValidationError as error:
        raise HouseholdError(
            HouseholdReason.INVALID_TEXT, " ".join(error.messages), field="name"
        ) from error
    household = Household.objects.create(municipality=municipality, name=name)
    record_change(
        household=household,
        actor=actor,
        action=HouseholdChange.Action.CREATE,
        obj=household,
        changes={"name": [None, name]},
    )
    _log(actor=actor, action="household.create", obj=household, changes={"name": [None, name]})
    guardian_save(household=household, guardian=None, data=guardian_data, actor=actor)
    return household


@transaction.atomic
def household_update(*, household: Household, actor: Actor, name: str) -> Household:
    before = snapshot(household, ["name"])
    services.household_rename(household=household, name=name, actor=actor)
    _log(
        actor=actor,
        action="household.update",
        obj=household,
        changes=diff(before, snapshot(household, ["name"])),
    )
    return household


@transaction.atomic
def guardian_save(
    *, household: Household, guardian: Guardian | None, data: dict[str, Any], actor: Actor
) -> Guardian:
    """Add a guardian (``guardian`` None) or change one, through the household services."""
    fields = services.GUARDIAN_EDITABLE_FIELDS
    if guardian is None:
        guardian = services.guardian_create(household=household, data=data, actor=actor)
        _log(
            actor=actor,
            action="guardian.create",
            obj=guardian,
            changes=diff({}, snapshot(guardian, fields)),
        )
        return guardian
    guardian = Guardian.objects.get(pk=guardian.pk)  # as stored: a form may have edited it
    before = snapshot(guardian, fields)
    services.guardian_update(guardian=guardian, data=data, actor=actor)
    _log(
        actor=actor,
        action="guardian.update",
        obj=guardian,
        changes=diff(before, snapshot(guardian, fields)),
    )
    return guardian


@transaction.atomic
def child_save(
    *, household: Household, child: Child | None, data: dict[str, Any], actor: Actor
) -> Child:
    """Add or change a child, school, class and PAI included (the town's fields), and its
    diets when ``data`` holds them (``child_set_diets``: a health-data change)."""
    created = child is None
    if child is None:
        child = Child(municipality_id=household.municipality_id, household=household)
    else:
        child = Child.objects.get(pk=child.pk)  # as stored: a form may have edited it
    before = {} if created else snapshot(child, CHILD_AGENT_FIELDS)
    for name in CHILD_AGENT_FIELDS:
        if name in data:
            setattr(child, name, data[name])
    child.full_clean(exclude=["household", "municipality", "diets"])
    child.save()
    changes = diff(before, snapshot(child, CHILD_AGENT_FIELDS))
    action = HouseholdChange.Action.CREATE if created else HouseholdChange.Action.UPDATE
    record_change(household=household, actor=actor, action=action, obj=child, changes=changes)
    _log(
        actor=actor,
        action="child.create" if created else "child.update",
        obj=child,
        changes=changes,
    )
    if "diets" in data:
        child_set_diets(child=child, diets=data["diets"] or [], actor=actor)
    return child


def child_set_diets(*, child: Child, diets: Iterable[Diet], actor: Actor) -> None:
    """An agent sets a child's diets from the town's list (a diet no longer offered may stay
    if the child already had it). Health data: the household's history keeps the diets, as
    when the family changes them; the action log records a "health_data.update" naming the
    child, never the diets (nor does any application log)."""
    before = snapshot(child, ["diets"])
    current = set(child.diets.values_list("pk", flat=True))
    allowed = set(Diet.objects.filter(is_active=True).values_list("pk", flat=True)) | current
    chosen = [diet for diet in diets if diet.pk in allowed]
    child.diets.set(chosen, through_defaults={"municipality_id": child.municipality_id})
    changes = diff(before, snapshot(child, ["diets"]))
    if not changes:
        return
    record_change(
        household=child.household,
        actor=actor,
        action=HouseholdChange.Action.UPDATE,
        obj=child,
        changes=changes,
    )
    action_record(
        municipality_id=child.municipality_id,
        actor=actor,
        action="health_data.update",
        obj=child,
        changes={"enfant": [None, str(child)], "régime alimentaire": [None, _("modifié")]},
    )


def health_data_read(*, household: Household, actor: Actor, children: list[Child]) -> None:
    """Log that an agent read the children's health data (diets, PAI) of this household."""
    shown = [str(child) for child in children if child.has_care_plan or len(child.diets.all()) > 0]
    if shown:
        action_record(
            municipality_id=household.municipality_id,
            actor=actor,
            action="health_data.read",
            obj=household,
            changes={"enfants": [None, shown]},
        )
