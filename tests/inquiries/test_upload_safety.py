"""Uploaded files are stored and sent under a name derived from their recognised type (a PNG
named ``page.html`` is ``piece-<n>.png``, served as image/png), the sender's name is only an
escaped label; a PDF with JavaScript, a launch action or embedded files is refused in French
and nothing is stored; an ordinary PDF is still accepted; the family's data export never uses
the sender's name as a path."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.inquiries.models import Inquiry, InquiryAttachment
from espacefamille.privacy.data_export import household_export

from ..backoffice.helpers import page_text
from ..conftest import Family
from ..uploads_helpers import (
    pdf_file,
    pdf_opening_on_its_first_page,
    pdf_with_embedded_file,
    pdf_with_javascript,
    pdf_with_page_action,
    png_file,
)
from .test_family_requests import _document_key, _send

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '../../<b>page</b>".html'


def stored_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_a_png_named_html_is_stored_and_sent_as_a_png(
    town: Municipality, family: Family, private_files: Path
) -> None:
    response = _send(family, town, {_document_key(town): png_file(HOSTILE_NAME)})
    assert response.status_code == 302
    with municipality_scope(town):
        inquiry = Inquiry.objects.get()
        attachment = inquiry.attachments.get()
    assert attachment.file.name.endswith(".png") and "page" not in attachment.file.name
    (stored,) = stored_files(private_files)
    assert stored.suffix == ".png"
    download = family.client.get(f"/demandes/{inquiry.pk}/pieces/{attachment.pk}/")
    assert download["Content-Type"] == "image/png"
    disposition = download["Content-Disposition"]
    assert disposition == f'attachment; filename="piece-{attachment.pk}.png"'
    page = family.client.get(f"/demandes/{inquiry.pk}/").content.decode()
    assert "<b>page</b>" not in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf_with_javascript, "contient du JavaScript (un programme) : il est refusé"),
        (pdf_with_page_action, "contient du JavaScript (un programme) : il est refusé"),
        (pdf_with_embedded_file, "contient d'autres fichiers joints : il est refusé"),
    ],
)
def test_a_pdf_with_active_content_is_refused_and_nothing_is_stored(
    town: Municipality,
    family: Family,
    private_files: Path,
    upload,  # type: ignore[no-untyped-def]
    message: str,
) -> None:
    response = _send(
        family, town, {_document_key(town): upload("certificat.pdf")}, text="Texte gardé"
    )
    assert response.status_code == 200
    page = page_text(response)
    assert f"Le fichier « certificat.pdf » {message}" in page
    assert "Texte gardé" in page
    with municipality_scope(town):
        assert not Inquiry.objects.exists() and not InquiryAttachment.objects.exists()
    assert stored_files(private_files) == []


@pytest.mark.parametrize("upload", [pdf_file, pdf_opening_on_its_first_page])
def test_an_ordinary_pdf_is_still_accepted(
    town: Municipality,
    family: Family,
    upload,  # type: ignore[no-untyped-def]
) -> None:
    response = _send(family, town, {_document_key(town): upload("certificat.pdf")})
    assert response.status_code == 302
    with municipality_scope(town):
        attachment = InquiryAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf")


def test_an_unreadable_pdf_is_refused_in_french(town: Municipality, family: Family) -> None:
    broken = pdf_file("abime.pdf")
    broken.file = io.BytesIO(b"%PDF-1.4\n" + b"\x00" * 300)
    broken.size = 309
    response = _send(family, town, {_document_key(town): broken})
    assert "Le fichier « abime.pdf » n'a pas pu être lu comme un PDF" in page_text(response)


def test_the_data_export_never_uses_the_senders_name_as_a_path(
    town: Municipality, family: Family
) -> None:
    _send(family, town, {_document_key(town): png_file(HOSTILE_NAME)})
    with municipality_scope(town):
        attachment = InquiryAttachment.objects.get()
        output = household_export(family.household, actor=family.user)
    archive = zipfile.ZipFile(output)
    expected = f"pieces-jointes/{attachment.inquiry_id}-piece-{attachment.pk}.png"
    assert expected in archive.namelist()
    assert not any(
        "page" in name or ".html" in name.removesuffix("donnees.html")
        for name in archive.namelist()
    )
    (row,) = json.loads(archive.read("donnees.json"))["pieces_jointes"]
    assert row["fichier_dans_l_archive"] == expected
    assert row["nom_du_fichier"] == attachment.filename  # kept as a label only
    assert "<b>page</b>" not in archive.read("donnees.html").decode()
