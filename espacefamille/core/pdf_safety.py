"""Whether an uploaded PDF carries active content: JavaScript (``/JS``, ``/JavaScript``, an
``/OpenAction`` or ``/AA`` running it), a launch action (``/Launch``) or embedded files
(``/EmbeddedFile``, ``/EmbeddedFiles``, ``/RichMedia``). Such a PDF is refused: an agent
opening a family's document in a desktop reader must run nothing from it.

The file is parsed by pypdf, which decodes compressed object streams and escaped names
(``/J#53`` is ``/JS``), and every object reachable from its trailer is walked, without
recursion and within ``MAX_OBJECTS``. A PDF pypdf cannot read is refused too: a document we
cannot inspect is not one we pass on."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.utils.translation import gettext as _

from .errors import CoreReason, DomainError

# Keys whose mere presence means active content. ``/AA`` holds "additional actions" run on
# events (opening a page, a field); ``/OpenAction`` alone may be a harmless "go to page 1",
# so the action it points at is walked instead.
ACTIVE_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/AA": "javascript",
    "/Launch": "launch",
    "/EmbeddedFiles": "embedded",
    "/EmbeddedFile": "embedded",
    "/RichMedia": "embedded",
}
# Names that, as a value (an action's ``/S``, an object's ``/Type``), say the same.
ACTIVE_NAMES = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/EmbeddedFile": "embedded",
    "/RichMedia": "embedded",
}
MAX_OBJECTS = 200_000

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken PDF is ours to report
logger = logging.getLogger(__name__)


def _unreadable(why: str) -> DomainError:
    logger.info("unreadable PDF: %s", why)
    return DomainError(CoreReason.UNREADABLE_PDF, _("Ce fichier n'a pas pu être lu comme un PDF."))


def pdf_active_content(content: bytes) -> str | None:
    """ "javascript", "launch" or "embedded" for the first active content found, else None.
    Raises ``DomainError`` (``CoreReason.UNREADABLE_PDF``) when the file cannot be inspected.
    pypdf (about 100 modules) is imported by the first upload checked, not by every worker."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise _unreadable("encrypted")
        return _walk(reader.trailer)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise _unreadable(str(error)) from error


def _walk(root: Any) -> str | None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [root]
    visited = 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise _unreadable("too many objects")
        if isinstance(node, NameObject):
            found = ACTIVE_NAMES.get(str(node))
            if found:
                return found
        elif isinstance(node, DictionaryObject):  # streams are dictionaries too
            for name, value in node.items():
                found = ACTIVE_KEYS.get(str(name))
                if found:
                    return found
                pending.append(value)
        elif isinstance(node, ArrayObject):
            pending.extend(node)
    return None
