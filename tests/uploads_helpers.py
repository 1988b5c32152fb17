"""Files for the upload tests: a real PDF, a real PNG, and files that lie about what they are."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from espacefamille.core.minimal_pdf import minimal_pdf


def pdf_file(name: str = "piece.pdf") -> SimpleUploadedFile:
    content = minimal_pdf(title="Pièce", lines=["Document de test"])
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def disguised_file(name: str = "carte-identite.pdf") -> SimpleUploadedFile:
    """A Windows program renamed ``.pdf`` and announced as a PDF by the sender."""
    return SimpleUploadedFile(
        name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="application/pdf"
    )


def _pdf_with(change) -> bytes:  # type: ignore[no-untyped-def]
    """A one-page PDF written by pypdf after ``change(writer)``."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _javascript_action() -> object:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )


def pdf_with_javascript(name: str = "piece.pdf") -> SimpleUploadedFile:
    """A PDF that runs JavaScript when opened (``/OpenAction`` → ``/S /JavaScript``)."""
    from pypdf.generic import NameObject

    def change(writer) -> None:  # type: ignore[no-untyped-def]
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(_javascript_action())

    return SimpleUploadedFile(name, _pdf_with(change), content_type="application/pdf")


def pdf_with_page_action(name: str = "piece.pdf") -> SimpleUploadedFile:
    """A PDF whose page runs an action on opening (``/AA``)."""
    from pypdf.generic import DictionaryObject, NameObject

    def change(writer) -> None:  # type: ignore[no-untyped-def]
        page = writer.pages[0]
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _javascript_action()})

    return SimpleUploadedFile(name, _pdf_with(change), content_type="application/pdf")


def pdf_with_embedded_file(name: str = "piece.pdf") -> SimpleUploadedFile:
    """A PDF carrying another file (``/EmbeddedFiles``)."""

    def change(writer) -> None:  # type: ignore[no-untyped-def]
        writer.add_attachment("programme.exe", b"MZ\x90\x00")

    return SimpleUploadedFile(name, _pdf_with(change), content_type="application/pdf")


def pdf_opening_on_its_first_page(name: str = "piece.pdf") -> SimpleUploadedFile:
    """An ordinary PDF with a harmless ``/OpenAction`` (show page 1 whole)."""
    from pypdf.generic import ArrayObject, NameObject

    def change(writer) -> None:  # type: ignore[no-untyped-def]
        first = writer.pages[0].indirect_reference
        writer._root_object[NameObject("/OpenAction")] = ArrayObject([first, NameObject("/Fit")])

    return SimpleUploadedFile(name, _pdf_with(change), content_type="application/pdf")
