"""Requests that change the household file (seed 001): a new address proved by a
"Justificatif de domicile", an allergy or a PAI proved by a "Certificat médical", a person
authorised to pick the children up proved by a "Pièce d'identité". The family proposes the
values; the file changes only when an agent accepts, through the households services, so the
change shows in the file's history and in the action log. A pickup request that names nobody
(sent before the form asked, or through the API) is completed by the agent who accepts it: the
person as the identity document shows it (``pickup_for_decision``)."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor
from espacefamille.households.household_files import child_save, guardian_save
from espacefamille.households.models import Child, Guardian, Household
from espacefamille.households.pickups import PICKUP_FIELDS, pickup_add_by_town, pickup_values_clean
from espacefamille.households.sharing import household_children
from espacefamille.inquiries.errors import InquiryError, InquiryReason

from .models import ChangeKind, Inquiry

ADDRESS_FIELDS = ["address", "address_complement", "postcode", "city"]
# The person a pickup request names, as the forms' fields are called.
PICKUP_PREFIX = "pickup_"
PICKUP_FORM_FIELDS = [PICKUP_PREFIX + name for name in PICKUP_FIELDS]


def guardian_field(name: str) -> models.Field:
    """A concrete field of Guardian (its label and length for both front doors' forms)."""
    return cast("models.Field", Guardian._meta.get_field(name))


def proposed_changes_clean(
    *, kind: str, household: Household, child: Child | None, data: dict[str, Any]
) -> dict[str, Any]:
    """The proposed values to store on the request, checked now so the agent never accepts
    a change that cannot apply."""
    if kind == ChangeKind.ADDRESS:
        guardian = data.get("guardian")
        if not isinstance(guardian, Guardian) or guardian.household_id != household.pk:
            raise InquiryError(
                InquiryReason.GUARDIAN_REQUIRED,
                _("Choisissez le responsable qui déménage."),
                field="guardian",
            )
        values = {name: str(data.get(name) or "").strip() for name in ADDRESS_FIELDS}
        missing = [name for name in ("address", "postcode", "city") if not values[name]]
        if missing:
            message = _("Ce champ est obligatoire pour un changement d'adresse.")
            raise InquiryError(
                InquiryReason.ADDRESS_INCOMPLETE,
                message,
                field_errors={name: [message] for name in missing},
            )
        return {"guardian_id": guardian.pk, **values}
    if kind == ChangeKind.CARE_PLAN:
        if child is None:
            raise InquiryError(
                InquiryReason.CHILD_REQUIRED, _("Choisissez l'enfant concerné."), field="child"
            )
        return {"child_id": child.pk, "has_care_plan": True}
    if kind == ChangeKind.PICKUP:
        person = pickup_clean(household=household, data=data)
        return {"pickup": person} if person else {}
    return {}


def pickup_clean(*, household: Household, data: dict[str, Any]) -> dict[str, str]:
    """The person a pickup request names (``pickup_*`` keys of ``data``), checked as the
    household file checks it; {} when none of the fields is filled."""
    given = {name: str(data.get(PICKUP_PREFIX + name) or "").strip() for name in PICKUP_FIELDS}
    if not any(given.values()):
        return {}
    try:
        return pickup_values_clean(household=household, data=given)
    except ValidationError as error:
        errors = {PICKUP_PREFIX + name: found for name, found in error.message_dict.items()}
        raise InquiryError(
            InquiryReason.PICKUP_PERSON_INVALID,
            " ".join(message for found in errors.values() for message in found),
            field_errors=errors,
        ) from error


def pickup_for_decision(*, inquiry: Inquiry, data: dict[str, Any]) -> dict[str, Any]:
    """The proposed changes a pickup request is accepted with: the person the agent typed
    (``pickup_*`` keys), else the one the family named. Refused when neither names one."""
    person = pickup_clean(household=inquiry.household, data=data)
    if not person:
        person = (inquiry.proposed_changes or {}).get("pickup") or {}
    if not person:
        message = _("Indiquez la personne à autoriser, telle que sa pièce d'identité la présente.")
        raise InquiryError(
            InquiryReason.PICKUP_PERSON_REQUIRED,
            message,
            field_errors={name: [message] for name in PICKUP_FORM_FIELDS[:3]},
        )
    return {**(inquiry.proposed_changes or {}), "pickup": person}


def proposed_changes_display(inquiry: Inquiry) -> list[tuple[str, str]]:
    """The proposed values as (label, value) lines for both front doors."""
    changes = inquiry.proposed_changes or {}
    lines: list[tuple[str, str]] = []
    if "guardian_id" in changes:
        guardian = Guardian.objects.filter(pk=changes["guardian_id"]).first()
        lines.append((_("Responsable"), str(guardian or "")))
        for name in ADDRESS_FIELDS:
            if changes.get(name):
                label = str(guardian_field(name).verbose_name).capitalize()
                lines.append((label, changes[name]))
    if "child_id" in changes:
        child = Child.objects.filter(pk=changes["child_id"]).first()
        lines.append((_("Enfant"), str(child or "")))
        lines.append((_("PAI (projet d'accueil individualisé)"), _("oui")))
    person = changes.get("pickup")
    if person:
        named = f"{person.get('last_name', '')} {person.get('first_name', '')}"
        lines.append((_("Personne autorisée à récupérer l'enfant"), named))
        lines.append((_("Téléphone"), person.get("phone", "")))
        if person.get("relationship"):
            lines.append((_("Lien avec l'enfant"), person["relationship"]))
    return lines


def proposed_changes_apply(*, inquiry: Inquiry, actor: Actor) -> None:
    """Write the accepted values to the household file (called inside the decision's
    transaction, so a refused write leaves the request open)."""
    changes = inquiry.proposed_changes or {}
    household = inquiry.household
    if "guardian_id" in changes:
        guardian = Guardian.objects.get(pk=changes["guardian_id"], household=household)
        guardian_save(
            household=household,
            guardian=guardian,
            data={name: changes.get(name, "") for name in ADDRESS_FIELDS},
            actor=actor,
        )
    if "child_id" in changes:
        child = household_children(household).get(pk=changes["child_id"])
        child_save(
            household=household,
            child=child,
            data={"has_care_plan": bool(changes.get("has_care_plan"))},
            actor=actor,
        )
    if changes.get("pickup"):
        pickup_add_by_town(
            household=household, data=changes["pickup"], actor=actor, from_request=True
        )
