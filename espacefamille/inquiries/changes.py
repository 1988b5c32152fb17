"""Requests that change the household file (seed 001): a new address proved by a
"Justificatif de domicile", an allergy or a PAI proved by a "Certificat médical". The family
proposes the values; the file changes only when an agent accepts, through the households
services, so the change shows in the file's history and in the action log."""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor
from espacefamille.households.household_files import child_save, guardian_save
from espacefamille.households.models import Child, Guardian, Household
from espacefamille.households.sharing import household_children
from espacefamille.inquiries.errors import InquiryError, InquiryReason

from .models import ChangeKind, Inquiry

ADDRESS_FIELDS = ["address", "address_complement", "postcode", "city"]


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
    return {}


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
