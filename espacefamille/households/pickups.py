"""Authorised pickups recorded by the town ("personnes autorisées à récupérer l'enfant").

The town's pickup rule (``core.models.PickupRule``) governs what a family may do itself in
"Gestion du foyer" (``services.person_create``); the town always may: an agent adds or removes
a pickup on the household's page, and accepting a pickup request ("Autorisation de
récupération d'un enfant", checked against its identity document) adds the person it names
(``inquiries.changes.proposed_changes_apply``, in the decision's transaction). Each change is
in the household's change log (the family's history) and in the town's action log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record

from .audit import diff, record_change, snapshot
from .errors import HouseholdError, HouseholdReason
from .models import AuthorizedPickup, Household, HouseholdChange

PICKUP_FIELDS = ["last_name", "first_name", "phone", "relationship"]


def pickup_values_clean(*, household: Household, data: dict[str, Any]) -> dict[str, str]:
    """The person's values, checked as the household file checks them (names, phone number),
    as plain strings (a phone in E.164) to be kept on a request. Raises ``ValidationError``
    with the model's field names."""
    person = AuthorizedPickup(municipality_id=household.municipality_id, household=household)
    for name in PICKUP_FIELDS:
        setattr(person, name, str(data.get(name) or "").strip())
    person.full_clean(exclude=["household", "municipality"])
    values = {name: str(getattr(person, name) or "") for name in PICKUP_FIELDS}
    values["phone"] = person.phone.as_e164
    return values


def _same_person(household: Household, values: dict[str, str]) -> AuthorizedPickup | None:
    return AuthorizedPickup.objects.filter(
        household=household,
        last_name__iexact=values["last_name"],
        first_name__iexact=values["first_name"],
    ).first()


@transaction.atomic
def pickup_add_by_town(
    *, household: Household, data: dict[str, Any], actor: Actor, from_request: bool = False
) -> AuthorizedPickup:
    """Add an authorised pickup to the household file. An agent adding a person already there
    is refused; an accepted request naming a person already there changes nothing."""
    values = pickup_values_clean(household=household, data=data)
    existing = _same_person(household, values)
    if existing is not None:
        if from_request:
            return existing
        raise HouseholdError(
            HouseholdReason.PICKUP_ALREADY_AUTHORISED,
            _("%(name)s figure déjà parmi les personnes autorisées de ce foyer.")
            % {"name": f"{values['first_name']} {values['last_name']}"},
        )
    person = AuthorizedPickup.objects.create(
        municipality_id=household.municipality_id, household=household, **values
    )
    changes = diff({}, snapshot(person, PICKUP_FIELDS))
    record_change(
        household=household,
        actor=actor,
        action=HouseholdChange.Action.CREATE,
        obj=person,
        changes=changes,
    )
    action_record(
        municipality_id=household.municipality_id,
        actor=actor,
        action="household.pickup_add",
        obj=person,
        changes=changes,
    )
    return person


@transaction.atomic
def pickup_remove_by_town(*, pickup: AuthorizedPickup, actor: Actor) -> None:
    """Remove an authorised pickup from the household file (an agent, on the household page)."""
    household = pickup.household
    changes = diff(snapshot(pickup, PICKUP_FIELDS), {})
    record_change(
        household=household,
        actor=actor,
        action=HouseholdChange.Action.DELETE,
        obj=pickup,
        changes=changes,
    )
    action_record(
        municipality_id=household.municipality_id,
        actor=actor,
        action="household.pickup_remove",
        obj=pickup,
        changes=changes,
    )
    pickup.delete()
