"""Writing an imported file (parsed by ``importing.household_file_parse``), all or nothing.

Matching keys make the import idempotent: households on their reference, guardians on their
rank, children on first name (case-insensitive) and birth date. Only real changes are written
and logged. A guardian who has activated an account keeps the details the family entered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record
from espacefamille.catalog.models import Enrollment, Service
from espacefamille.catalog.services import enrollment_enroll
from espacefamille.core.models import Municipality
from espacefamille.core.planner_statistics import refresh_planner_statistics
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.audit import diff, record_change, snapshot
from espacefamille.households.errors import HouseholdError, HouseholdReason
from espacefamille.households.models import Child, Guardian, Household, HouseholdChange
from espacefamille.onboarding.importing import GUARDIAN_FIELDS, ParsedFile

HOUSEHOLD_FIELDS = ["name", "external_ref"]
CHILD_FIELDS = ["last_name", "first_name", "birth_date", "school", "school_class"]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, *, created: bool, changes: dict[str, Any]) -> None:
        if created:
            self.created += 1
        elif changes:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass
class ImportSummary:
    households: Counts = field(default_factory=Counts)
    guardians: Counts = field(default_factory=Counts)
    children: Counts = field(default_factory=Counts)
    enrollments: Counts = field(default_factory=Counts)


def service_names(municipality: Municipality) -> dict[str, int]:
    """The town's services by casefolded name, for the ``child_services`` column."""
    with municipality_scope(municipality):
        return {s.name.casefold(): s.pk for s in Service.objects.all()}


def _write(
    household: Household, obj: models.Model, values: dict[str, Any], fields: list[str]
) -> tuple[bool, dict[str, Any]]:
    """Create ``obj`` (unsaved) or update it (saved) if a value changed, and log the change.
    Return ``(created, changes)``; a row already up to date is not saved."""
    created = obj.pk is None
    before = {} if created else snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    changes = diff(before, snapshot(obj, fields))
    if created:
        obj.save()
    elif changes:
        obj.save(update_fields=list(changes))
    action = HouseholdChange.Action.CREATE if created else HouseholdChange.Action.UPDATE
    record_change(household=household, actor=None, action=action, obj=obj, changes=changes)
    return created, changes


def household_file_import(
    *, municipality: Municipality, parsed: ParsedFile, actor: Actor, file_name: str, via: str = ""
) -> ImportSummary:
    """Write the households of a valid file, all or nothing; rows already up to date are left
    untouched. Guardians and children missing from the file are kept. The import is logged
    once with its counts in the town's action log (each row's change is in the households'
    log), by ``actor`` (an agent) or by none, with ``via`` saying what acted (the command line)."""
    if parsed.errors:
        raise HouseholdError(
            HouseholdReason.FILE_HAS_ERRORS,
            _("Le fichier contient des erreurs : rien n'a été importé."),
        )
    summary = ImportSummary()
    with municipality_scope(municipality), transaction.atomic():
        households = {h.external_ref: h for h in Household.objects.exclude(external_ref="")}
        guardians: dict[tuple[int, int], Guardian] = {
            (g.household_id, g.rank): g
            for g in Guardian.objects.exclude(household__external_ref="")
        }
        services = {s.pk: s for s in Service.objects.all()}
        children: dict[tuple[int, str, date], Child] = {}
        for child in Child.objects.exclude(household__external_ref="").order_by("pk"):
            children.setdefault(
                (child.household_id, child.first_name.casefold(), child.birth_date), child
            )
        for record in parsed.households:
            household = households.get(record.ref) or Household(
                municipality=municipality, external_ref=record.ref
            )
            values = {"name": record.name}
            created, changes = _write(household, household, values, HOUSEHOLD_FIELDS)
            summary.households.add(created=created, changes=changes)
            for g in record.guardians:
                guardian = guardians.get((household.pk, g.rank)) or Guardian(
                    municipality=municipality, household=household, rank=g.rank
                )
                if guardian.user_id is not None:
                    summary.guardians.add(created=False, changes={})
                    continue  # the family keeps what it entered itself
                values = {name: getattr(g, name) for name in GUARDIAN_FIELDS}
                created, changes = _write(household, guardian, values, GUARDIAN_FIELDS)
                summary.guardians.add(created=created, changes=changes)
            for c in record.children:
                key = (household.pk, c.first_name.casefold(), c.birth_date)
                child = children.get(key) or Child(municipality=municipality, household=household)
                values = {name: getattr(c, name) for name in CHILD_FIELDS}
                created, changes = _write(household, child, values, CHILD_FIELDS)
                summary.children.add(created=created, changes=changes)
                for service_id in c.services:
                    _enrollment, made = enrollment_enroll(child=child, service=services[service_id])
                    summary.enrollments.add(created=made, changes={})
        if summary.households.created or summary.children.created:
            # A first import fills the tables at once: the planner needs to know it.
            refresh_planner_statistics(Household, Guardian, Child, Enrollment)
        _log(municipality, summary, actor=actor, file_name=file_name, via=via)
    return summary


def _log(
    municipality: Municipality, summary: ImportSummary, *, actor: Actor, file_name: str, via: str
) -> None:
    changes: dict[str, Any] = {
        label: [None, f"{counts.created} / {counts.updated} / {counts.unchanged}"]
        for label, counts in (
            ("foyers créés / modifiés / inchangés", summary.households),
            ("responsables", summary.guardians),
            ("enfants", summary.children),
            ("inscriptions", summary.enrollments),
        )
    }
    if via:
        changes["via"] = [None, via]
    action_record(
        municipality_id=municipality.pk,
        actor=actor,
        action="import.households",
        object_type="file",
        object_repr=file_name,
        changes=changes,
    )
