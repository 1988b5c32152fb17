"""The town's diet list: an agent adds a diet, renames it, or stops offering it (a child's
past choice stays recorded). No religious category (CNIL NS-058): the form says so."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record, diff, snapshot
from espacefamille.core.models import Municipality
from espacefamille.core.validators import name_taken
from espacefamille.households.errors import HouseholdError, HouseholdReason

from .models import Diet

DIET_FIELDS = ["label", "is_active", "position"]


@transaction.atomic
def diet_save(
    *, municipality: Municipality, diet: Diet | None, data: dict[str, Any], actor: Actor
) -> Diet:
    created = diet is None
    label = " ".join(str(data.get("label", "")).split())
    others = Diet.objects.exclude(pk=diet.pk) if diet is not None else Diet.objects.all()
    if name_taken(others.values_list("label", flat=True), label):
        raise HouseholdError(
            HouseholdReason.NAME_TAKEN, _("Ce régime figure déjà dans la liste."), field="label"
        )
    stored = Diet(municipality=municipality) if diet is None else Diet.objects.get(pk=diet.pk)
    before = {} if created else snapshot(stored, DIET_FIELDS)
    stored.label = label
    stored.is_active = bool(data.get("is_active", stored.is_active))
    stored.position = data.get("position") or 0
    stored.full_clean()
    stored.save()
    changes = diff(before, snapshot(stored, DIET_FIELDS))
    if created or changes:
        action_record(
            municipality_id=municipality.pk,
            actor=actor,
            action="diet.create" if created else "diet.update",
            obj=stored,
            changes=changes,
        )
    return stored
