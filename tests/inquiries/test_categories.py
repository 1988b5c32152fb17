"""Agents define the categories and the documents each requires; the family form follows."""

from __future__ import annotations

import pytest

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.inquiries.models import InquiryCategory

from ..backoffice.helpers import Agent, page_text
from ..conftest import Family

pytestmark = pytest.mark.django_db


def test_an_agent_creates_a_category_with_required_documents(
    town: Municipality, regie: Agent, family: Family
) -> None:
    response = regie.client.post(
        "/agents/demandes/thematiques/ajouter/",
        {
            "name": "Absence justifiée",
            "description": "Justifier l'absence d'un enfant",
            "text_template": "Mon enfant était absent le …",
            "needs_child": "on",
            "is_active": "on",
            "position": "3",
            "required_documents": "Certificat médical\n\nCertificat médical\nAutre justificatif",
        },
    )
    assert response.status_code == 302
    with municipality_scope(town):
        category = InquiryCategory.objects.get(name="Absence justifiée")
        labels = [str(d) for d in category.required_documents.all()]
        assert ActionLogEntry.objects.filter(action="inquiry_category.create").exists()
    assert labels == ["Certificat médical", "Autre justificatif"]
    page = page_text(family.client.get(f"/demandes/faire-une-demande/{category.pk}/"))
    assert "Mon enfant était absent le …" in page and "Autre justificatif" in page

    regie.client.post(
        f"/agents/demandes/thematiques/{category.pk}/",
        {"name": "Absence justifiée", "position": "3", "required_documents": "Autre justificatif"},
    )
    with municipality_scope(town):
        category.refresh_from_db()
        assert [str(d) for d in category.required_documents.all()] == ["Autre justificatif"]
        assert category.is_active is False
    assert family.client.get(f"/demandes/faire-une-demande/{category.pk}/").status_code == 404


def test_the_facilitator_cannot_edit_categories(facilitator: Agent) -> None:
    assert facilitator.client.get("/agents/demandes/thematiques/").status_code == 403


def test_a_second_category_of_the_same_name_or_an_overlong_document_writes_nothing(
    town: Municipality, regie: Agent
) -> None:
    url = "/agents/demandes/thematiques/ajouter/"
    assert regie.client.post(url, {"name": "Cantine", "position": "1"}).status_code == 302
    twin = regie.client.post(url, {"name": "Cantine", "position": "2"})
    overlong = regie.client.post(
        url, {"name": "Garderie", "position": "3", "required_documents": "x" * 121}
    )
    assert twin.status_code == 200 and overlong.status_code == 200
    assert "120 caractères" in page_text(overlong)
    with municipality_scope(town):
        assert list(InquiryCategory.objects.values_list("name", flat=True)) == ["Cantine"]
