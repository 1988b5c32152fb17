"""Writes to family requests: create (with the category's required documents), reply,
assign, decide. Each runs in one transaction that also writes the town's action log; the
family's e-mail is queued to leave after commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record
from espacefamille.core.models import PickupRule
from espacefamille.core.uploads import upload_check
from espacefamille.households.models import Child, Household
from espacefamille.households.sharing import is_member
from espacefamille.inquiries.errors import InquiryError, InquiryReason

from .changes import pickup_for_decision, proposed_changes_apply, proposed_changes_clean
from .emails import inquiry_email_after_commit
from .models import (
    CLOSED_STATUSES,
    ChangeKind,
    Inquiry,
    InquiryAttachment,
    InquiryCategory,
    InquiryMessage,
    InquiryStatus,
    RequiredDocument,
)


def document_field(required: RequiredDocument) -> str:
    """The form field of one required document (the same name on the server's errors)."""
    return f"document_{required.pk}"


def _checked_documents(
    category: InquiryCategory,
    documents: Mapping[int, UploadedFile | None],
    extra_files: Iterable[UploadedFile],
) -> list[tuple[RequiredDocument | None, UploadedFile, str]]:
    """Every file with its recognised type; all missing or refused files reported at once."""
    errors: dict[str, list[str]] = {}
    checked: list[tuple[RequiredDocument | None, UploadedFile, str]] = []
    for required in category.required_documents.all():
        upload = documents.get(required.pk)
        if upload is None:
            errors[document_field(required)] = [
                _("La pièce « %(label)s » est obligatoire pour cette demande.")
                % {"label": required.label}
            ]
            continue
        try:
            checked.append((required, upload, upload_check(upload)))
        except ValidationError as error:
            errors[document_field(required)] = error.messages
    for upload in extra_files:
        try:
            checked.append((None, upload, upload_check(upload)))
        except ValidationError as error:
            errors.setdefault("extra_files", []).extend(error.messages)
    if errors:
        raise InquiryError(
            InquiryReason.DOCUMENTS_REFUSED,
            " ".join(message for found in errors.values() for message in found),
            field_errors=errors,
        )
    return checked


def _attach(
    inquiry: Inquiry, required: RequiredDocument | None, upload: UploadedFile, kind: str
) -> None:
    attachment = InquiryAttachment(
        municipality_id=inquiry.municipality_id,
        inquiry=inquiry,
        required_document=required,
        label=required.label if required else "",
        filename=(upload.name or "document")[:200],
        content_type=kind,
        size=upload.size or 0,
    )
    attachment.file.save(upload.name or "document", upload, save=False)
    attachment.save()


@transaction.atomic
def inquiry_create(
    *,
    household: Household,
    category: InquiryCategory,
    child: Child | None,
    text: str,
    documents: Mapping[int, UploadedFile | None],
    extra_files: Iterable[UploadedFile] = (),
    proposed: dict[str, Any] | None = None,
    actor: Actor,
) -> Inquiry:
    """ "Faire une demande": refused as a whole, with a message per field, when a required
    document is missing or a file is not a PDF, JPEG or PNG."""
    if category.municipality_id != household.municipality_id or not category.is_active:
        raise InquiryError(
            InquiryReason.UNKNOWN_CATEGORY,
            _("Choisissez une thématique de la liste."),
            field="category",
        )
    if (
        category.change_kind == ChangeKind.PICKUP
        and household.municipality.pickup_rule == PickupRule.FREE
    ):
        raise InquiryError(
            InquiryReason.PICKUPS_EDITED_FREELY,
            _(
                "Votre commune vous laisse indiquer vous-même les personnes autorisées à "
                "récupérer l'enfant : ajoutez-les dans « Gestion du foyer », onglet "
                "« Compléments », sans demande ni pièce d'identité."
            ),
            field="category",
        )
    if child is not None and not is_member(child, household):
        raise InquiryError(
            InquiryReason.CHILD_NOT_IN_HOUSEHOLD,
            _("Choisissez un enfant de votre foyer."),
            field="child",
        )
    if category.needs_child and child is None:
        raise InquiryError(
            InquiryReason.CHILD_REQUIRED, _("Choisissez l'enfant concerné."), field="child"
        )
    text = text.strip()
    if not text:
        raise InquiryError(InquiryReason.TEXT_REQUIRED, _("Décrivez votre demande."), field="text")
    changes = proposed_changes_clean(
        kind=category.change_kind, household=household, child=child, data=proposed or {}
    )
    checked = _checked_documents(category, documents, extra_files)
    inquiry = Inquiry.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        category=category,
        child=child,
        text=text,
        proposed_changes=changes,
        created_by=actor,
    )
    for required, upload, kind in checked:
        _attach(inquiry, required, upload, kind)
    action_record(
        municipality_id=inquiry.municipality_id,
        actor=actor,
        action="inquiry.create",
        obj=inquiry,
        changes={"category": [None, category.name], "documents": [None, len(checked)]},
    )
    return inquiry


def _touch(inquiry: Inquiry, fields: list[str]) -> None:
    inquiry.updated_at = timezone.now()
    inquiry.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def inquiry_reply(*, inquiry: Inquiry, text: str, from_town: bool, actor: Actor) -> InquiryMessage:
    """Add a message to the thread; a reply of the town moves a new request to "En cours"
    and mails the family. A closed request takes no more messages from the family."""
    text = text.strip()
    if not text:
        raise InquiryError(InquiryReason.TEXT_REQUIRED, _("Écrivez votre message."), field="text")
    if inquiry.is_closed and not from_town:
        raise InquiryError(
            InquiryReason.INQUIRY_CLOSED,
            _("Cette demande est close : faites une nouvelle demande."),
        )
    message = InquiryMessage.objects.create(
        municipality_id=inquiry.municipality_id,
        inquiry=inquiry,
        author=actor,
        from_town=from_town,
        text=text,
    )
    fields = []
    if from_town:  # a "Nouvelle réponse" until the household opens the request
        inquiry.last_answer_at = message.created_at
        fields.append("last_answer_at")
    if from_town and inquiry.status == InquiryStatus.NEW:
        inquiry.status = InquiryStatus.IN_PROGRESS
        fields.append("status")
    _touch(inquiry, fields)
    action_record(
        municipality_id=inquiry.municipality_id,
        actor=actor,
        action="inquiry.reply",
        obj=inquiry,
        changes={"message": [None, text[:200]]},
    )
    if from_town:
        inquiry_email_after_commit(inquiry=inquiry, message=message)
    return message


@transaction.atomic
def inquiry_assign(*, inquiry: Inquiry, agent: Any, actor: Actor) -> Inquiry:
    if inquiry.assigned_to_id == (agent.pk if agent else None):
        return inquiry
    before = str(inquiry.assigned_to or "") or None
    inquiry.assigned_to = agent
    _touch(inquiry, ["assigned_to"])
    action_record(
        municipality_id=inquiry.municipality_id,
        actor=actor,
        action="inquiry.assign",
        obj=inquiry,
        changes={"assigned_to": [before, str(agent or "") or None]},
    )
    return inquiry


@transaction.atomic
def inquiry_set_status(
    *, inquiry: Inquiry, status: str, actor: Actor, pickup: dict[str, Any] | None = None
) -> Inquiry:
    """The one transition of a request's status. "Traitée" accepts it: a proposed change of
    the household file is applied then, once. Accepting a pickup request adds the person to
    the household's authorised pickups: the one the agent typed (``pickup``, ``pickup_*``
    keys), else the one the family named; refused when neither does. A closed request stays
    closed; a repeat changes nothing. A decision (Traitée, Refusée) mails the family."""
    if status not in InquiryStatus.values:
        raise InquiryError(
            InquiryReason.UNKNOWN_STATUS, _("Choisissez un statut de la liste."), field="status"
        )
    # Re-read under the row lock (PostgreSQL) or the IMMEDIATE transaction (SQLite): two
    # agents accepting at once apply the change once, the second sees the request closed.
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("household", "category")
        .get(pk=inquiry.pk)
    )
    if status == inquiry.status:
        return inquiry
    if inquiry.is_closed:
        raise InquiryError(
            InquiryReason.INQUIRY_CLOSED, _("Cette demande est déjà close."), field="status"
        )
    before = inquiry.get_status_display()
    accepting = status == InquiryStatus.DONE and not inquiry.change_applied_at
    if accepting and inquiry.category.change_kind == ChangeKind.PICKUP:
        inquiry.proposed_changes = pickup_for_decision(inquiry=inquiry, data=pickup or {})
    if accepting and inquiry.proposed_changes:
        proposed_changes_apply(inquiry=inquiry, actor=actor)
        inquiry.change_applied_at = timezone.now()
    inquiry.status = status
    _touch(inquiry, ["status", "change_applied_at", "proposed_changes"])
    action_record(
        municipality_id=inquiry.municipality_id,
        actor=actor,
        action="inquiry.status",
        obj=inquiry,
        changes={"status": [before, inquiry.get_status_display()]},
    )
    if status in CLOSED_STATUSES:
        inquiry_email_after_commit(inquiry=inquiry, message=None)
    return inquiry


def inquiry_health_data_read(*, inquiry: Inquiry, actor: Actor) -> None:
    """An agent opened an "Allergie / PAI" request: its text and medical certificate are
    health data, and each reading is logged as the household page's are."""
    if inquiry.category.change_kind != ChangeKind.CARE_PLAN:
        return
    action_record(
        municipality_id=inquiry.municipality_id,
        actor=actor,
        action="health_data.read",
        obj=inquiry.household,
        changes={"demande": [None, str(inquiry)]},
    )
