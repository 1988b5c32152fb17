"""Issue 21: one rule per town for authorised pickups, obeyed by both paths. "Librement": the
family adds, changes and removes them in "Gestion du foyer" and the pickup request is neither
offered nor accepted. "Sur demande": the household page only lists them and links to the
request (with its identity document); the services refuse a direct change."""

from __future__ import annotations

import pytest

from espacefamille.core.models import Municipality, PickupRule
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households import services
from espacefamille.households.errors import HouseholdError, HouseholdReason
from espacefamille.households.models import AuthorizedPickup, EmergencyContact, HouseholdChange
from espacefamille.inquiries.errors import InquiryError, InquiryReason
from espacefamille.inquiries.models import Inquiry
from espacefamille.inquiries.services import inquiry_create

from ..backoffice.helpers import page_text
from ..conftest import Family
from ..factories import ChildFactory
from ..inquiries.helpers import PICKUP, category
from ..uploads_helpers import png_file

pytestmark = pytest.mark.django_db

PERSON = {"last_name": "MARTIN", "first_name": "Luc", "phone": "+33612345678"}


def _rule(town: Municipality, rule: PickupRule) -> None:
    Municipality.objects.filter(pk=town.pk).update(pickup_rule=rule)
    town.refresh_from_db()


def _pickup_request(town: Municipality, family: Family, rule: PickupRule) -> Inquiry:
    pickup = category(town, PICKUP)
    _rule(town, rule)
    family.household.municipality.refresh_from_db()
    with municipality_scope(town):
        child = ChildFactory(household=family.household)
        return inquiry_create(
            household=family.household,
            category=pickup,
            child=child,
            text="Je souhaiterais autoriser Luc MARTIN.",
            documents={pickup.required_documents.get().pk: png_file("carte.png")},
            actor=family.user,
        )


def test_free_rule_family_edits_pickups_and_the_request_is_refused(
    town: Municipality, family: Family
) -> None:
    with pytest.raises(InquiryError) as refused:
        _pickup_request(town, family, PickupRule.FREE)
    assert refused.value.reason == InquiryReason.PICKUPS_EDITED_FREELY
    assert "Gestion du foyer" in refused.value.message
    with municipality_scope(town):
        assert not Inquiry.objects.exists()
        person = services.person_create(
            model=AuthorizedPickup, household=family.household, data=PERSON, actor=family.user
        )
        services.person_update(person=person, data={"first_name": "Jean"}, actor=family.user)
        services.person_delete(person=person, actor=family.user)
        assert not AuthorizedPickup.objects.exists()
    offered = page_text(family.client.get("/demandes/faire-une-demande/"))
    assert PICKUP not in offered and "Changement d'adresse" in offered
    page = page_text(family.client.get("/foyer/complements/"))
    assert 'href="/foyer/complements/personnes-autorisees/ajouter/"' in page


def test_request_rule_household_page_refuses_and_the_request_goes_through(
    town: Municipality, family: Family
) -> None:
    inquiry = _pickup_request(town, family, PickupRule.REQUEST)
    with municipality_scope(town):
        assert inquiry.attachments.count() == 1
        kept = AuthorizedPickup.objects.create(
            municipality=town, household=family.household, **PERSON
        )
        for attempt in (
            lambda: services.person_create(
                model=AuthorizedPickup, household=family.household, data=PERSON, actor=family.user
            ),
            lambda: services.person_update(person=kept, data={"first_name": "X"}, actor=None),
            lambda: services.person_delete(person=kept, actor=family.user),
        ):
            with pytest.raises(HouseholdError) as refused:
                attempt()
            assert refused.value.reason == HouseholdReason.PICKUPS_BY_REQUEST
            assert "pièce d'identité" in refused.value.message
        kept.refresh_from_db()
        assert kept.first_name == "Luc" and not HouseholdChange.objects.exists()
        # Emergency contacts stay the family's to edit.
        services.person_create(
            model=EmergencyContact, household=family.household, data=PERSON, actor=family.user
        )
    offered = page_text(family.client.get("/demandes/faire-une-demande/"))
    assert PICKUP in offered
    page = page_text(family.client.get("/foyer/complements/"))
    assert "MARTIN Luc" in page and "/personnes-autorisees/ajouter/" not in page
    assert f"/personnes-autorisees/{kept.pk}/supprimer/" not in page
    assert 'href="/foyer/complements/urgence/ajouter/"' in page
    assert f"faire la demande « {PICKUP} »" in page
    response = family.client.post(
        f"/foyer/complements/personnes-autorisees/{kept.pk}/supprimer/", follow=True
    )
    assert "pièce d'identité" in page_text(response)
    added = family.client.post("/foyer/complements/personnes-autorisees/ajouter/", PERSON)
    assert added.status_code == 200 and "pièce d'identité" in page_text(added)
    with municipality_scope(town):
        assert list(AuthorizedPickup.objects.values_list("pk", flat=True)) == [kept.pk]
