"""Documents families and agents upload (news attachments, request documents).

Only PDF, JPEG and PNG are accepted, recognised from their first bytes (``filetype``) and never
from their name, since a name or a browser's content type is whatever the sender says. Files are
kept under random names in ``settings.PRIVATE_MEDIA_ROOT``, a folder no URL serves: the only way
out is ``attachment_response``, called by a view that has checked who may read the file."""

from __future__ import annotations

import os
import uuid
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .downloads import download_response
from .errors import DomainError
from .pdf_safety import pdf_active_content

ACCEPTED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at ``PRIVATE_MEDIA_ROOT``, read at each access so that
    tests can point it at a temporary folder; it has no public URL."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> str:  # no public URL: files leave through attachment_response
        raise ValueError("Private files have no URL.")


private_storage = PrivateStorage()


def private_upload_to(instance: Any, filename: str) -> str:
    """``upload_to`` of private files: ``<model's UPLOAD_FOLDER>/<uuid>.<ext>``, the extension
    from the recognised type (``content_type``), never from the sender's name."""
    extension = ACCEPTED_TYPES.get(getattr(instance, "content_type", ""), "bin")
    return f"{instance.UPLOAD_FOLDER}/{uuid.uuid4().hex}.{extension}"


def max_upload_size() -> int:
    return int(settings.MAX_UPLOAD_SIZE)


def upload_limit_text() -> str:
    """The sentence shown beside every file field, before the family chooses a file."""
    return _("PDF, JPEG ou PNG, %(size)s au maximum par fichier.") % {
        "size": filesizeformat(max_upload_size())
    }


def file_input_attrs(*, accept: str = ACCEPT_ATTRIBUTE) -> dict[str, str]:
    """Attributes of a file input: the accepted types, and the size limit with its message
    for ``uploads.js``, which warns before sending (the server checks again)."""
    return {
        "accept": accept,
        "data-max-size": str(max_upload_size()),
        "data-too-big": _("Le fichier « {name} » dépasse la taille maximale de %(size)s.")
        % {"size": filesizeformat(max_upload_size())},
    }


def upload_check(upload: UploadedFile[bytes]) -> str:
    """The content type of an accepted upload; a ``ValidationError`` in plain French for a
    file that is too large, empty, or not really a PDF, JPEG or PNG."""
    name = upload.name or ""
    if upload.size is not None and upload.size > max_upload_size():
        raise ValidationError(
            _("Le fichier « %(name)s » dépasse la taille maximale de %(size)s.")
            % {"name": name, "size": filesizeformat(max_upload_size())}
        )
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    if not head:
        raise ValidationError(_("Le fichier « %(name)s » est vide.") % {"name": name})
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        raise ValidationError(
            _(
                "Le fichier « %(name)s » n'est pas un PDF, un JPEG ou un PNG : seuls ces "
                "formats sont acceptés. Les autres informations saisies sont conservées, "
                "choisissez un autre fichier."
            )
            % {"name": name}
        )
    if kind.mime == "application/pdf":
        _pdf_check(upload, name)
    return str(kind.mime)


PDF_REFUSALS = {
    "javascript": gettext_lazy(
        "Le fichier « %(name)s » contient du JavaScript (un programme) : il est refusé. "
        "Enregistrez-le de nouveau en PDF sans programme (« Imprimer en PDF »), ou envoyez "
        "une photo du document."
    ),
    "launch": gettext_lazy(
        "Le fichier « %(name)s » demande de lancer un programme : il est refusé. Enregistrez-le "
        "de nouveau en PDF simple (« Imprimer en PDF »), ou envoyez une photo du document."
    ),
    "embedded": gettext_lazy(
        "Le fichier « %(name)s » contient d'autres fichiers joints : il est refusé. Envoyez "
        "chaque document séparément, en PDF, JPEG ou PNG."
    ),
}


def _pdf_check(upload: UploadedFile[bytes], name: str) -> None:
    """Refuse a PDF with JavaScript, a launch action or embedded files (``pdf_safety``)."""
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        found = pdf_active_content(content)
    except DomainError:  # CoreReason.UNREADABLE_PDF
        raise ValidationError(
            _(
                "Le fichier « %(name)s » n'a pas pu être lu comme un PDF (abîmé ou protégé "
                "par un mot de passe). Enregistrez-le de nouveau en PDF, ou envoyez une photo "
                "du document."
            )
            % {"name": name}
        ) from None
    if found:
        raise ValidationError(PDF_REFUSALS[found] % {"name": name})


def download_name(*, stem: str, content_type: str) -> str:
    """The name a stored file is sent under: ``stem`` (ours, e.g. ``piece-12``) and the
    extension of its recognised type, never the sender's name (``page.html`` holding a PNG is
    sent as ``piece-12.png``)."""
    return f"{stem}.{ACCEPTED_TYPES.get(content_type, 'bin')}"


def attachment_response(*, stored: Any, content_type: str, stem: str) -> HttpResponse:
    """Send a stored file as a download named ``stem`` + the extension of its recognised type
    (``download_name``), never displayed inline nor sniffed by the browser. Files are small
    (``MAX_UPLOAD_SIZE``), so they are read whole."""
    with stored.open("rb") as handle:
        content = handle.read()
    filename = download_name(stem=stem, content_type=content_type)
    response = download_response(content, content_type=content_type, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
