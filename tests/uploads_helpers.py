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
