"""Writes to the household file. Each function applies one change and records it in the
household's change log, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.audit.records import Actor
from espacefamille.core.models import PickupRule
from espacefamille.core.validators import validate_single_line_text
from espacefamille.households.errors import HouseholdError, HouseholdReason

from .audit import diff, record_change, snapshot
from .models import (
    AuthorizedPickup,
    Child,
    ConsentPurpose,
    Diet,
    Guardian,
    Household,
    HouseholdChange,
    HouseholdPerson,
    ImageConsent,
)
from .selectors import current_consents

GUARDIAN_EDITABLE_FIELDS = [
    "civility",
    "first_name",
    "last_name",
    "birth_date",
    "address",
    "address_complement",
    "postcode",
    "city",
    "country",
    "mobile_phone",
    "landline_phone",
    "email",
    "employer",
    "employer_mobile_phone",
    "employer_landline_phone",
]
CHILD_EDITABLE_FIELDS = ["civility", "first_name", "last_name", "birth_date"]
PERSON_FIELDS = ["last_name", "first_name", "phone", "relationship"]
PersonModel = type[HouseholdPerson]


def _apply(obj: Any, data: dict[str, Any], fields: Iterable[str]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _update_recorded(
    obj: Guardian | HouseholdPerson,
    data: dict[str, Any],
    fields: list[str],
    actor: Actor,
    exclude: list[str] | None = None,
) -> None:
    """Apply ``data`` to ``fields``, validate, save, and log old → new in the change log."""
    before = snapshot(obj, fields)
    _apply(obj, data, fields)
    obj.full_clean(exclude=exclude)
    obj.save()
    record_change(
        household=obj.household,
        actor=actor,
        action=HouseholdChange.Action.UPDATE,
        obj=obj,
        changes=diff(before, snapshot(obj, fields)),
    )


@transaction.atomic
def household_rename(*, household: Household, name: str, actor: Actor) -> Household:
    name = name.strip()
    if not name:
        raise HouseholdError(HouseholdReason.NAME_REQUIRED, _("Le nom du foyer est obligatoire."))
    validate_single_line_text(name)
    before = snapshot(household, ["name"])
    household.name = name
    household.save(update_fields=["name"])
    record_change(
        household=household,
        actor=actor,
        action=HouseholdChange.Action.UPDATE,
        obj=household,
        changes=diff(before, snapshot(household, ["name"])),
    )
    return household


@transaction.atomic
def guardian_update(*, guardian: Guardian, data: dict[str, Any], actor: Actor) -> Guardian:
    _update_recorded(
        guardian,
        data,
        GUARDIAN_EDITABLE_FIELDS,
        actor,
        exclude=["user", "household", "municipality"],
    )
    return guardian


@transaction.atomic
def guardian_create(*, household: Household, data: dict[str, Any], actor: Actor) -> Guardian:
    """Add a guardian, up to the town's maximum (two unless the town allows more)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    existing = Guardian.objects.filter(household=household)
    limit = household.municipality.max_guardians
    if existing.count() >= limit:
        raise HouseholdError(
            HouseholdReason.TOO_MANY_GUARDIANS,
            ngettext(
                "Votre foyer compte déjà %(n)s responsable, le maximum fixé par la commune.",
                "Votre foyer compte déjà %(n)s responsables, le maximum fixé par la commune.",
                limit,
            )
            % {"n": limit},
        )
    rank = (existing.aggregate(m=Max("rank"))["m"] or 0) + 1
    guardian = Guardian(municipality_id=household.municipality_id, household=household, rank=rank)
    _apply(guardian, data, GUARDIAN_EDITABLE_FIELDS)
    guardian.full_clean(exclude=["user"])
    guardian.save()
    record_change(
        household=household,
        actor=actor,
        action=HouseholdChange.Action.CREATE,
        obj=guardian,
        changes=diff({}, snapshot(guardian, GUARDIAN_EDITABLE_FIELDS)),
    )
    return guardian


@transaction.atomic
def child_update(
    *,
    child: Child,
    data: dict[str, Any],
    diets: Iterable[Diet],
    consents: dict[int, bool],
    actor: Actor,
) -> Child:
    """Update what a family may change of a child: identity, diets and image consents.
    School and class are the town's and are not touched here."""
    fields = [*CHILD_EDITABLE_FIELDS, "diets"]
    before = snapshot(child, fields)
    _apply(child, data, CHILD_EDITABLE_FIELDS)
    child.full_clean(exclude=["household", "municipality", "diets"])
    child.save()
    allowed = {d.pk for d in Diet.objects.filter(is_active=True)}
    chosen = [d for d in diets if d.pk in allowed]
    child.diets.set(chosen, through_defaults={"municipality_id": child.municipality_id})
    record_change(
        household=child.household,
        actor=actor,
        action=HouseholdChange.Action.UPDATE,
        obj=child,
        changes=diff(before, snapshot(child, fields)),
    )
    child_set_consents(child=child, consents=consents, actor=actor)
    return child


def child_set_consents(*, child: Child, consents: dict[int, bool], actor: Actor) -> None:
    """Record each answer that differs from the current one, with the wording shown now."""
    current = current_consents(child=child)
    purposes = {p.pk: p for p in ConsentPurpose.objects.filter(is_active=True)}
    now = timezone.now()
    for purpose_id, granted in consents.items():
        purpose = purposes.get(purpose_id)
        if purpose is None:
            continue
        previous = current.get(purpose_id)
        if previous is not None and previous.granted == granted:
            continue
        if previous is None and not granted:
            continue  # never asked and still not given: nothing to record
        ImageConsent.objects.create(
            municipality_id=child.municipality_id,
            child=child,
            purpose=purpose,
            granted=granted,
            wording=purpose.wording,
            recorded_by=actor,
            recorded_at=now,
        )
        record_change(
            household=child.household,
            actor=actor,
            action=HouseholdChange.Action.UPDATE,
            obj=child,
            changes={
                f"droit à l'image : {purpose.label}": [
                    None if previous is None else previous.granted,
                    granted,
                ]
            },
        )
    if hasattr(child, "consent_history"):
        del child.consent_history


def _pickups_editable(model: PersonModel, household: Household) -> None:
    """Where the town takes authorised pickups by request only, the family's household page
    cannot add, change or remove one (the request carries the identity document)."""
    if model is AuthorizedPickup and household.municipality.pickup_rule == PickupRule.REQUEST:
        raise HouseholdError(
            HouseholdReason.PICKUPS_BY_REQUEST,
            _(
                "Votre commune enregistre les personnes autorisées à récupérer l'enfant sur "
                "demande, avec une pièce d'identité : faites une demande « Autorisation de "
                "récupération d'un enfant »."
            ),
        )


@transaction.atomic
def person_create(
    *, model: PersonModel, household: Household, data: dict[str, Any], actor: Actor
) -> HouseholdPerson:
    _pickups_editable(model, household)
    person = model(municipality_id=household.municipality_id, household=household)
    _apply(person, data, PERSON_FIELDS)
    person.full_clean()
    person.save()
    record_change(
        household=household,
        actor=actor,
        action=HouseholdChange.Action.CREATE,
        obj=person,
        changes=diff({}, snapshot(person, PERSON_FIELDS)),
    )
    return person


@transaction.atomic
def person_update(
    *, person: HouseholdPerson, data: dict[str, Any], actor: Actor
) -> HouseholdPerson:
    _pickups_editable(type(person), person.household)
    _update_recorded(person, data, PERSON_FIELDS, actor)
    return person


@transaction.atomic
def person_delete(*, person: HouseholdPerson, actor: Actor) -> None:
    _pickups_editable(type(person), person.household)
    before = snapshot(person, PERSON_FIELDS)
    record_change(
        household=person.household,
        actor=actor,
        action=HouseholdChange.Action.DELETE,
        obj=person,
        changes=diff(before, {}),
    )
    person.delete()


@transaction.atomic
def guardian_link_account(*, guardian: Guardian, user: Any, actor: Actor) -> Guardian:
    """Link a login to a guardian (join code, activation link): the household's change log and
    the town's action log both say so."""
    from espacefamille.audit.records import action_record

    guardian.user = user
    guardian.save(update_fields=["user"])
    changes = {"compte": [None, user.email]}
    record_change(
        household=guardian.household,
        actor=actor,
        action=HouseholdChange.Action.UPDATE,
        obj=guardian,
        changes=changes,
    )
    action_record(
        municipality_id=guardian.municipality_id,
        actor=actor,
        action="guardian.link_account",
        obj=guardian,
        changes=changes,
    )
    return guardian
