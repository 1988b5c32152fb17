"""Issue 21: on the household page of the back office an agent adds and removes the persons
authorised to pick the children up, whatever the town's pickup rule (the family itself may
not under the "sur demande" rule); each change in the family's history and the action log;
another household's pickup or another town answers 404."""

from __future__ import annotations

import pytest

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality, PickupRule
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import AuthorizedPickup, HouseholdChange

from ..conftest import Family, make_family
from ..factories import MunicipalityFactory
from .helpers import Agent, make_agent, page_text

pytestmark = pytest.mark.django_db


def _pickups(town: Municipality) -> list[tuple[str, str, str, str]]:
    with municipality_scope(town):
        return list(
            AuthorizedPickup.objects.values_list("last_name", "first_name", "phone", "relationship")
        )


def test_an_agent_adds_and_removes_a_pickup_under_the_request_rule(
    town: Municipality, family: Family, regie: Agent
) -> None:
    Municipality.objects.filter(pk=town.pk).update(pickup_rule=PickupRule.REQUEST)
    page_url = f"/agents/foyers/{family.household.pk}/"
    add_url = page_url + "personnes-autorisees/ajouter/"
    assert add_url in page_text(regie.client.get(page_url))
    person = {"last_name": "MARTIN", "first_name": "Luc", "phone": "06 12 34 56 78"}
    assert regie.client.post(add_url, person).status_code == 302
    again = regie.client.post(add_url, {**person, "last_name": "martin"})
    assert again.status_code == 200 and "figure déjà" in page_text(again)
    bad = regie.client.post(add_url, {**person, "phone": "abc"})
    assert bad.status_code == 200
    assert _pickups(town) == [("MARTIN", "Luc", "+33612345678", "")]
    with municipality_scope(town):
        added = AuthorizedPickup.objects.get()
    assert "MARTIN Luc" in page_text(regie.client.get(page_url))
    remove_url = page_url + f"personnes-autorisees/{added.pk}/retirer/"
    assert regie.client.get(remove_url).status_code == 405
    assert regie.client.post(remove_url).status_code == 302
    assert _pickups(town) == []
    with municipality_scope(town):
        actions = list(
            HouseholdChange.objects.order_by("pk").values_list("action", "actor", "object_type")
        )
        logged = set(ActionLogEntry.objects.values_list("action", flat=True))
    assert actions == [
        ("create", regie.user.pk, "authorizedpickup"),
        ("delete", regie.user.pk, "authorizedpickup"),
    ]
    assert {"household.pickup_add", "household.pickup_remove"} <= logged


def test_another_households_pickup_or_another_town_is_404(
    town: Municipality, family: Family, regie: Agent
) -> None:
    other = make_family(town, email="autre@example.org")
    with municipality_scope(town):
        theirs = AuthorizedPickup.objects.create(
            municipality=town,
            household=other.household,
            last_name="A",
            first_name="B",
            phone="+33612345678",
        )
    wrong = f"/agents/foyers/{family.household.pk}/personnes-autorisees/{theirs.pk}/retirer/"
    assert regie.client.post(wrong).status_code == 404
    elsewhere = make_agent(MunicipalityFactory(name="Voisine", slug="voisine"), "administrator")
    url = f"/agents/foyers/{other.household.pk}/personnes-autorisees/{theirs.pk}/retirer/"
    assert elsewhere.client.post(url).status_code == 404
    add = f"/agents/foyers/{other.household.pk}/personnes-autorisees/ajouter/"
    assert elsewhere.client.post(add, {"last_name": "X"}).status_code == 404
    assert len(_pickups(town)) == 1
