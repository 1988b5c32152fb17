"""Issue 21: a pickup request ("Autorisation de récupération d'un enfant") has a completion
path. The family names the person on the request; the agent who accepts it ("Traitée") adds
that person — or the one the agent types from the identity document — to the household's
authorised pickups, in the decision's transaction, with the change log and the action log; a
request naming nobody cannot be accepted without the agent naming the person. On the household
page of the back office an agent adds and removes authorised pickups, whatever the town's rule."""

from __future__ import annotations

from typing import Any

import pytest

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import AuthorizedPickup, HouseholdChange
from espacefamille.inquiries.errors import InquiryError, InquiryReason
from espacefamille.inquiries.models import Inquiry, InquiryStatus
from espacefamille.inquiries.services import document_field, inquiry_create, inquiry_set_status

from ..backoffice.helpers import Agent, page_text
from ..conftest import Family
from ..factories import ChildFactory
from ..uploads_helpers import png_file
from .helpers import PICKUP, category

pytestmark = pytest.mark.django_db

NAMED = {
    "pickup_last_name": "MARTIN",
    "pickup_first_name": "Luc",
    "pickup_phone": "06 12 34 56 78",
    "pickup_relationship": "grand-père",
}


def _request(town: Municipality, family: Family, proposed: dict[str, str] | None) -> Inquiry:
    pickup = category(town, PICKUP)
    with municipality_scope(town):
        return inquiry_create(
            household=family.household,
            category=pickup,
            child=ChildFactory(household=family.household),
            text="Je souhaiterais autoriser Luc MARTIN.",
            documents={pickup.required_documents.get().pk: png_file("carte.png")},
            proposed=proposed,
            actor=family.user,
        )


def _pickups(town: Municipality) -> list[tuple[str, str, str, str]]:
    with municipality_scope(town):
        return list(
            AuthorizedPickup.objects.values_list("last_name", "first_name", "phone", "relationship")
        )


def test_accepting_a_request_adds_the_person_it_names(
    town: Municipality, family: Family, regie: Agent
) -> None:
    inquiry = _request(town, family, NAMED)
    page = page_text(regie.client.get(f"/agents/demandes/{inquiry.pk}/"))
    assert "MARTIN Luc" in page and 'value="MARTIN"' in page  # shown, and pre-filled
    response = regie.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "done"})
    assert response.status_code == 302
    assert _pickups(town) == [("MARTIN", "Luc", "+33612345678", "grand-père")]
    with municipality_scope(town):
        change = HouseholdChange.objects.get(object_type="authorizedpickup")
        assert change.actor == regie.user and change.action == HouseholdChange.Action.CREATE
        assert ActionLogEntry.objects.filter(action="household.pickup_add").count() == 1
        assert Inquiry.objects.get().status == InquiryStatus.DONE
    # A repeat changes nothing; the family sees the person in "Gestion du foyer".
    regie.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "done"})
    assert len(_pickups(town)) == 1
    assert "MARTIN Luc" in page_text(family.client.get("/foyer/complements/"))


def test_a_request_naming_nobody_needs_the_agent_to_name_the_person(
    town: Municipality, family: Family, regie: Agent
) -> None:
    inquiry = _request(town, family, None)
    url = f"/agents/demandes/{inquiry.pk}/statut/"
    refused = regie.client.post(url, {"status": "done"})
    assert "Indiquez la personne à autoriser" in page_text(refused)
    with municipality_scope(town):
        assert Inquiry.objects.get().status == InquiryStatus.NEW
    assert _pickups(town) == []
    done = regie.client.post(url, {"status": "done", **NAMED, "pickup_first_name": "Lucie"})
    assert done.status_code == 302
    assert _pickups(town) == [("MARTIN", "Lucie", "+33612345678", "grand-père")]
    with municipality_scope(town):
        assert Inquiry.objects.get().proposed_changes["pickup"]["first_name"] == "Lucie"


def test_a_bad_phone_at_the_decision_changes_nothing(
    town: Municipality, family: Family, regie: Agent
) -> None:
    inquiry = _request(town, family, None)
    response = regie.client.post(
        f"/agents/demandes/{inquiry.pk}/statut/",
        {"status": "done", **NAMED, "pickup_phone": "pas un numéro"},
    )
    assert response.status_code == 200 and "numéro" in page_text(response)
    assert _pickups(town) == []
    with municipality_scope(town):
        assert Inquiry.objects.get().status == InquiryStatus.NEW
        assert not HouseholdChange.objects.exists()


def test_refusing_a_request_adds_nobody(town: Municipality, family: Family, regie: Agent) -> None:
    inquiry = _request(town, family, NAMED)
    regie.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "refused"})
    assert _pickups(town) == []


def test_the_family_names_the_person_on_the_request_form(
    town: Municipality, family: Family
) -> None:
    pickup = category(town, PICKUP)
    with municipality_scope(town):
        child = ChildFactory(household=family.household)
    url = f"/demandes/faire-une-demande/{pickup.pk}/"
    data = {
        "child": child.pk,
        "text": "Je souhaite…",
        document_field(pickup.required_documents.get()): png_file("carte.png"),
    }
    page = page_text(family.client.get(url))
    assert "Nom de la personne à autoriser" in page
    refused = family.client.post(url, {**data, **NAMED, "pickup_phone": "123"})
    assert refused.status_code == 200
    with municipality_scope(town):
        assert not Inquiry.objects.exists()
    data[document_field(pickup.required_documents.get())] = png_file("carte.png")
    sent = family.client.post(url, {**data, **NAMED})
    assert sent.status_code == 302
    with municipality_scope(town):
        named = Inquiry.objects.get().proposed_changes["pickup"]
    assert named == {
        "last_name": "MARTIN",
        "first_name": "Luc",
        "phone": "+33612345678",
        "relationship": "grand-père",
    }


def test_the_service_refuses_an_incomplete_person(town: Municipality, family: Family) -> None:
    with pytest.raises(InquiryError) as refused:
        _request(town, family, {"pickup_last_name": "MARTIN"})
    assert refused.value.reason == InquiryReason.PICKUP_PERSON_INVALID
    assert "pickup_phone" in refused.value.field_errors
    with municipality_scope(town):
        assert not Inquiry.objects.exists()


def test_the_pickup_is_added_in_the_decisions_transaction(
    town: Municipality, family: Family, regie: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request is marked done only if the person is added: a failing write leaves both."""
    inquiry = _request(town, family, NAMED)

    def broken(**kwargs: Any) -> None:
        AuthorizedPickup.objects.create(
            municipality=town,
            household=family.household,
            last_name="X",
            first_name="Y",
            phone="+33612345678",
        )
        raise RuntimeError("disk full")

    monkeypatch.setattr("espacefamille.inquiries.changes.pickup_add_by_town", broken)
    with municipality_scope(town), pytest.raises(RuntimeError):
        inquiry_set_status(inquiry=inquiry, status=InquiryStatus.DONE, actor=regie.user)
    assert _pickups(town) == []
    with municipality_scope(town):
        assert Inquiry.objects.get().status == InquiryStatus.NEW
