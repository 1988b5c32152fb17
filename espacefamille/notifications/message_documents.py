"""The document a town message carries: checked like every upload (``core.uploads``: PDF,
JPEG or PNG recognised from its bytes, size limit, no active PDF content), kept under a random
name in private media, attached to the message when it is sent, and read only by the families
the message went to (and the town's agents through their own view).

Families are told of the document by a link to "Messages de la commune" in the e-mail (and the
SMS and push), never by the file itself: the file stays behind the sign-in, whatever its size."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor
from espacefamille.core.bounds import parse_id
from espacefamille.core.models import Municipality
from espacefamille.core.uploads import upload_check
from espacefamille.households.models import Household

from .errors import NotificationError, NotificationReason
from .models import MessageRecipient, TownMessage, TownMessageDocument


def _not_found() -> NotificationError:
    return NotificationError(
        NotificationReason.DOCUMENT, _("Ce document n'existe pas ou plus."), status=404
    )


@transaction.atomic
def message_document_upload(
    *, municipality: Municipality, upload: UploadedFile, actor: Actor
) -> TownMessageDocument:
    """Keep the agent's file until the message is sent; a bad one (``upload_check``) is
    refused in French on the form's ``document`` field before anything is written."""
    try:
        content_type = upload_check(upload)
    except ValidationError as error:
        raise NotificationError(
            NotificationReason.DOCUMENT, " ".join(error.messages), field="document"
        ) from error
    document = TownMessageDocument(
        municipality=municipality,
        filename=(upload.name or "document")[:200],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(upload.name or "document", upload, save=False)
    document.save()
    return document


def pending_document(*, document_id: str, actor: Actor) -> TownMessageDocument | None:
    """The file this agent uploaded for a message not sent yet (another agent's, or one
    already sent with a message, is not found)."""
    pk = parse_id(document_id)
    if pk is None or getattr(actor, "pk", None) is None:
        return None
    return TownMessageDocument.objects.filter(
        pk=pk, message__isnull=True, uploaded_by=actor
    ).first()


def household_message_document(*, household: Household, message_id: int) -> TownMessageDocument:
    """The document of a message this household received; anything else is "not found"."""
    received = MessageRecipient.objects.filter(household=household, message_id=message_id)
    document = TownMessageDocument.objects.filter(
        message_id=message_id, message__sent_at__isnull=False
    ).first()
    if document is None or not received.exists():
        raise _not_found()
    return document


def message_document(*, message: TownMessage) -> TownMessageDocument | None:
    return TownMessageDocument.objects.filter(message=message).first()
