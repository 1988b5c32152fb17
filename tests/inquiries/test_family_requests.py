"""The family's side of "Mes demandes": required documents enforced on the server, files
recognised by content, the rest of the form kept, another household's request a 404."""

from __future__ import annotations

import pytest

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.inquiries.errors import InquiryError
from espacefamille.inquiries.models import Inquiry, InquiryStatus
from espacefamille.inquiries.services import document_field, inquiry_create

from ..backoffice.helpers import page_text
from ..conftest import Family, make_family
from ..factories import ChildFactory, MunicipalityFactory
from ..uploads_helpers import disguised_file, pdf_file, png_file
from .helpers import PICKUP, category

pytestmark = pytest.mark.django_db


def _send(family: Family, town: Municipality, files: dict, text: str = "Je souhaite…") -> object:
    pickup = category(town, PICKUP)
    child = ChildFactory(household=family.household, first_name="Léa")
    data = {"child": child.pk, "text": text, **files}
    return family.client.post(f"/demandes/faire-une-demande/{pickup.pk}/", data)


def _document_key(town: Municipality) -> str:
    pickup = category(town, PICKUP)
    return document_field(pickup.required_documents.get())


def test_the_form_is_prefilled_from_the_template_and_shows_the_limit(
    town: Municipality, family: Family
) -> None:
    pickup = category(town, PICKUP)
    page = page_text(family.client.get(f"/demandes/faire-une-demande/{pickup.pk}/"))
    assert "Je souhaiterais autoriser … à venir récupérer mon enfant à partir de …" in page
    assert "Pièce(s) jointe(s) obligatoire(s)" in page and "Pièce d'identité" in page
    assert "PDF, JPEG ou PNG, 5,0" in page and "au maximum par fichier." in page, page


def test_a_request_with_its_identity_document_is_sent(town: Municipality, family: Family) -> None:
    response = _send(family, town, {_document_key(town): png_file("carte.png")})
    assert response.status_code == 302
    with municipality_scope(town):
        inquiry = Inquiry.objects.get()
        attachment = inquiry.attachments.get()
        assert ActionLogEntry.objects.filter(action="inquiry.create").exists()
    assert inquiry.status == InquiryStatus.NEW
    assert attachment.label == "Pièce d'identité" and attachment.content_type == "image/png"
    history = page_text(family.client.get("/demandes/"))
    assert "Historique des demandes" in history and "Nouvelle" in history
    download = family.client.get(f"/demandes/{inquiry.pk}/pieces/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_missing_required_document_is_refused_by_the_server(
    town: Municipality, family: Family
) -> None:
    response = _send(family, town, {}, text="Mon texte à garder")
    assert response.status_code == 200
    page = page_text(response)
    assert "Mon texte à garder" in page
    with municipality_scope(town):
        assert not Inquiry.objects.exists()
        pickup = category(town, PICKUP)
        with pytest.raises(InquiryError) as error:
            inquiry_create(
                household=family.household,
                category=pickup,
                child=ChildFactory(household=family.household),
                text="Sans pièce",
                documents={},
                actor=family.user,
            )
    assert "La pièce « Pièce d'identité » est obligatoire" in str(error.value)


def test_a_disguised_file_is_refused_with_a_french_message_and_the_text_kept(
    town: Municipality, family: Family
) -> None:
    response = _send(
        family, town, {_document_key(town): disguised_file()}, text="Autoriser Mamie Jeanne"
    )
    page = page_text(response)
    assert "« carte-identite.pdf » n'est pas un PDF, un JPEG ou un PNG" in page
    assert "Autoriser Mamie Jeanne" in page
    with municipality_scope(town):
        assert not Inquiry.objects.exists()


def test_another_household_and_another_town_get_404(town: Municipality, family: Family) -> None:
    _send(family, town, {_document_key(town): pdf_file()})
    with municipality_scope(town):
        inquiry = Inquiry.objects.get()
        attachment = inquiry.attachments.get()
    urls = [
        f"/demandes/{inquiry.pk}/",
        f"/demandes/{inquiry.pk}/pieces/{attachment.pk}/",
    ]
    neighbour = make_family(town, "voisin@example.org")
    elsewhere = make_family(MunicipalityFactory(name="Voisine", slug="voisine"), "v@example.org")
    for other in (neighbour, elsewhere):
        for url in urls:
            assert other.client.get(url).status_code == 404, url
        reply = other.client.post(f"/demandes/{inquiry.pk}/message/", {"text": "x"})
        assert reply.status_code == 404


@pytest.mark.parametrize("child", ["99999999999999999999999", "-1", "abc", "9223372036854775808"])
def test_an_impossible_child_id_is_a_form_error_not_a_500(
    town: Municipality, family: Family, child: str
) -> None:
    pickup = category(town, PICKUP)
    response = family.client.post(
        f"/demandes/faire-une-demande/{pickup.pk}/", {"child": child, "text": "x"}
    )
    assert response.status_code == 200
