"""The town's side: inbox by status and category, reply and decision mailed to the family
after commit, assignment, accepted data changes written to the household file and its
history; another town's agent gets 404; the facilitator has no access."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child, Guardian, HouseholdChange
from espacefamille.inquiries.models import Inquiry, InquiryStatus
from espacefamille.inquiries.services import document_field, inquiry_create

from ..backoffice.helpers import Agent, make_agent, page_text
from ..conftest import Family
from ..factories import ChildFactory, MunicipalityFactory
from ..uploads_helpers import pdf_file
from .helpers import ADDRESS, CARE_PLAN, PICKUP, category

pytestmark = pytest.mark.django_db


def _inquiry(town: Municipality, family: Family, name: str = PICKUP, **kwargs: Any) -> Inquiry:
    chosen = category(town, name)
    with municipality_scope(town):
        documents = {required.pk: pdf_file() for required in chosen.required_documents.all()}
        return inquiry_create(
            household=family.household,
            category=chosen,
            child=kwargs.pop("child", None) or ChildFactory(household=family.household),
            text="Ma demande",
            documents=documents,
            actor=family.user,
            **kwargs,
        )


def test_inbox_filters_by_status_and_category(
    town: Municipality, family: Family, regie: Agent
) -> None:
    pickup = _inquiry(town, family)
    _inquiry(town, family, CARE_PLAN)
    response = regie.client.get("/agents/demandes/", {"category": pickup.category_id})
    assert [i.pk for i in response.context["inquiries"]] == [pickup.pk]
    response = regie.client.get("/agents/demandes/", {"status": InquiryStatus.DONE})
    assert list(response.context["inquiries"]) == []
    page = page_text(regie.client.get(f"/agents/demandes/{pickup.pk}/"))
    assert "Pièce d'identité" in page and "Ma demande" in page


def test_reply_and_closing_mail_the_family_and_show_in_the_thread(
    town: Municipality,
    family: Family,
    regie: Agent,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    inquiry = _inquiry(town, family)
    with django_capture_on_commit_callbacks(execute=True):
        regie.client.post(
            f"/agents/demandes/{inquiry.pk}/reponse/", {"text": "C'est noté pour Mamie."}
        )
    with django_capture_on_commit_callbacks(execute=True):
        regie.client.post(
            f"/agents/demandes/{inquiry.pk}/statut/",
            {
                "status": "done",
                "pickup_last_name": "MARTIN",
                "pickup_first_name": "Mamie",
                "pickup_phone": "06 12 34 56 78",
            },
        )
    assert len(mail.outbox) == 2
    assert "C'est noté pour Mamie." in mail.outbox[0].body
    assert mail.outbox[0].to == [family.user.email]
    assert "Traitée" in mail.outbox[1].subject
    page = page_text(family.client.get(f"/demandes/{inquiry.pk}/"))
    assert "C'est noté pour Mamie." in page and "Traitée" in page
    with municipality_scope(town):
        actions = set(ActionLogEntry.objects.values_list("action", flat=True))
    assert {"inquiry.reply", "inquiry.status"} <= actions


def test_a_closed_request_stays_closed(town: Municipality, family: Family, regie: Agent) -> None:
    inquiry = _inquiry(town, family)
    regie.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "refused"})
    response = regie.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "done"})
    assert "Cette demande est déjà close." in page_text(response)
    with municipality_scope(town):
        assert Inquiry.objects.get().status == InquiryStatus.REFUSED


def test_assignment_to_an_agent(
    town: Municipality, family: Family, regie: Agent, administrator: Agent
) -> None:
    inquiry = _inquiry(town, family)
    response = regie.client.post(
        f"/agents/demandes/{inquiry.pk}/attribution/", {"agent": administrator.role.pk}
    )
    assert response.status_code == 302
    with municipality_scope(town):
        assert Inquiry.objects.get().assigned_to == administrator.user


def _address_change(town: Municipality, family: Family) -> Inquiry:
    return _inquiry(
        town,
        family,
        ADDRESS,
        proposed={
            "guardian": family.guardian,
            "address": "12 rue des Écoles",
            "postcode": "84000",
            "city": "Démo-sur-Sorgue",
        },
    )


def test_an_accepted_address_change_updates_the_file_and_its_history(
    town: Municipality, family: Family, regie: Agent
) -> None:
    inquiry = _address_change(town, family)
    regie.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "done"})
    with municipality_scope(town):
        guardian = Guardian.objects.get(pk=family.guardian.pk)
        change = HouseholdChange.objects.filter(object_type="guardian").latest("pk")
        assert Inquiry.objects.get().change_applied_at is not None
    assert guardian.address == "12 rue des Écoles" and guardian.city == "Démo-sur-Sorgue"
    assert change.changes["address"][1] == "12 rue des Écoles"
    assert change.actor == regie.user


def test_a_refused_address_change_changes_nothing(
    town: Municipality, family: Family, regie: Agent
) -> None:
    inquiry = _address_change(town, family)
    regie.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "refused"})
    with municipality_scope(town):
        assert Guardian.objects.get(pk=family.guardian.pk).address == ""


def test_an_accepted_care_plan_request_sets_the_pai(
    town: Municipality, family: Family, regie: Agent
) -> None:
    child = ChildFactory(household=family.household)
    inquiry = _inquiry(town, family, CARE_PLAN, child=child)
    regie.client.get(f"/agents/demandes/{inquiry.pk}/")
    regie.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "done"})
    with municipality_scope(town):
        assert Child.objects.get(pk=child.pk).has_care_plan is True
        assert ActionLogEntry.objects.filter(action="health_data.read").count() == 1


def test_the_family_address_form_asks_for_the_new_address(
    town: Municipality, family: Family
) -> None:
    chosen = category(town, ADDRESS)
    key = document_field(chosen.required_documents.get())
    response = family.client.post(
        f"/demandes/faire-une-demande/{chosen.pk}/",
        {"guardian": family.guardian.pk, "text": "Déménagement", key: pdf_file()},
    )
    assert "Ce champ est obligatoire" in page_text(response)
    with municipality_scope(town):
        assert not Inquiry.objects.exists()


def test_another_towns_agent_gets_404_and_the_facilitator_403(
    town: Municipality, family: Family, facilitator: Agent
) -> None:
    inquiry = _inquiry(town, family)
    with municipality_scope(town):
        attachment = inquiry.attachments.get()
    elsewhere = make_agent(MunicipalityFactory(name="Voisine", slug="voisine"), "administrator")
    for url in (
        f"/agents/demandes/{inquiry.pk}/",
        f"/agents/demandes/{inquiry.pk}/pieces/{attachment.pk}/",
    ):
        assert elsewhere.client.get(url).status_code == 404
        assert facilitator.client.get(url).status_code == 403
    response = elsewhere.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "done"})
    assert response.status_code == 404
