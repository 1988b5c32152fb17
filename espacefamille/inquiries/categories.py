"""The town's request categories ("thématiques"): description, text template, what accepting
changes in the household file, and the documents required, one label per line. Writes the
action log in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record, diff, snapshot
from espacefamille.core.models import Municipality
from espacefamille.inquiries.errors import InquiryError, InquiryReason

from .models import InquiryCategory, RequiredDocument

CATEGORY_FIELDS = [
    "name",
    "description",
    "text_template",
    "change_kind",
    "needs_child",
    "is_active",
    "position",
]


def required_labels_of(category: InquiryCategory) -> list[str]:
    return [str(required.label) for required in category.required_documents.all()]


@transaction.atomic
def inquiry_category_save(
    *,
    municipality: Municipality,
    category: InquiryCategory | None,
    data: dict[str, Any],
    required_labels: list[str],
    actor: Actor,
) -> InquiryCategory:
    """Create or edit a category. A document no longer listed stops being required; the
    files already sent keep their label."""
    creating = category is None
    category = category or InquiryCategory(municipality=municipality)
    before = {} if creating else snapshot(category, CATEGORY_FIELDS)
    before_labels = [] if creating else required_labels_of(category)
    for name in CATEGORY_FIELDS:
        if name in data:
            setattr(category, name, data[name])
    labels = list(dict.fromkeys(label.strip() for label in required_labels if label.strip()))
    longest = RequiredDocument._meta.get_field("label").max_length or 0
    if any(len(label) > longest for label in labels):
        message = _("Une pièce ne peut dépasser %(n)s caractères.") % {"n": longest}
        raise InquiryError(InquiryReason.LABEL_TOO_LONG, message, field="required_documents")
    category.full_clean()  # the town's unique name included
    category.save()
    RequiredDocument.objects.filter(category=category).exclude(label__in=labels).delete()
    for position, label in enumerate(labels):
        RequiredDocument.objects.update_or_create(
            municipality_id=category.municipality_id,
            category=category,
            label=label,
            defaults={"position": position},
        )
    changes: dict[str, Any] = diff(before, snapshot(category, CATEGORY_FIELDS))
    if before_labels != labels:
        changes["pièces obligatoires"] = [before_labels, labels]
    action_record(
        municipality_id=category.municipality_id,
        actor=actor,
        action="inquiry_category.create" if creating else "inquiry_category.update",
        obj=category,
        changes=changes,
    )
    return category
