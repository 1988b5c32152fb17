"""Household file services: every change recorded (who, when, old → new), consents kept as
proof, limits on guardians, bad input writes nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from espacefamille.core.models import Municipality
from espacefamille.households import services
from espacefamille.households.diets import diet_save
from espacefamille.households.errors import HouseholdError
from espacefamille.households.models import (
    AuthorizedPickup,
    ConsentPurpose,
    Diet,
    EmergencyContact,
    Guardian,
    HouseholdChange,
    ImageConsent,
)
from espacefamille.households.selectors import current_consents

from ..conftest import Family
from ..factories import ChildFactory, GuardianFactory

pytestmark = pytest.mark.django_db


def test_rename_is_recorded(family: Family, scoped: object) -> None:
    services.household_rename(household=family.household, name="DUPONT-MARTIN", actor=family.user)
    change = HouseholdChange.objects.get()
    assert change.actor == family.user
    assert change.action == "update"
    assert change.changes == {"name": ["DUPONT", "DUPONT-MARTIN"]}
    with pytest.raises(HouseholdError):
        services.household_rename(household=family.household, name="  ", actor=family.user)
    assert HouseholdChange.objects.count() == 1


def test_update_without_change_records_nothing(family: Family, scoped: object) -> None:
    services.guardian_update(
        guardian=family.guardian, data={"first_name": "Camille"}, actor=family.user
    )
    assert not HouseholdChange.objects.exists()


def test_guardian_limit_follows_the_town(family: Family, scoped: object) -> None:
    data = {
        "civility": "M",
        "first_name": "Jean",
        "last_name": "DUPONT",
        "mobile_phone": "+33611223344",
    }
    second = services.guardian_create(household=family.household, data=data, actor=family.user)
    assert second.rank == 2
    with pytest.raises(HouseholdError, match="maximum"):
        services.guardian_create(household=family.household, data=data, actor=family.user)
    town = family.household.municipality
    town.max_guardians = 3
    town.save()
    family.household.refresh_from_db()
    assert (
        services.guardian_create(household=family.household, data=data, actor=family.user).rank == 3
    )


def test_diets_only_from_the_towns_active_list(family: Family, scoped: object) -> None:
    child = ChildFactory(household=family.household)
    sans_porc = Diet.objects.get(label="Sans porc")
    retired = Diet.objects.create(
        municipality=family.household.municipality, label="Ancien régime", is_active=False
    )
    services.child_update(
        child=child, data={}, diets=[sans_porc, retired], consents={}, actor=family.user
    )
    assert list(child.diets.all()) == [sans_porc]
    change = HouseholdChange.objects.get(object_type="child")
    assert change.changes == {"diets": [[], ["Sans porc"]]}


def test_no_religious_diet_by_default(town: object, scoped: object) -> None:
    labels = " ".join(Diet.objects.values_list("label", flat=True)).lower()
    for word in ("halal", "casher", "kasher", "religi", "musulman", "juif"):
        assert word not in labels


def test_image_consent_is_proven_and_withdrawable(family: Family, scoped: object) -> None:
    child = ChildFactory(household=family.household)
    purpose = ConsentPurpose.objects.first()
    assert purpose is not None
    services.child_update(
        child=child, data={}, diets=[], consents={purpose.pk: True}, actor=family.user
    )
    granted = current_consents(child=child)[purpose.pk]
    assert granted.granted and granted.recorded_by == family.user
    assert granted.wording == purpose.wording
    # The town rewrites the text; the proof keeps the text the family agreed to.
    old_wording = purpose.wording
    purpose.wording = "Nouveau texte"
    purpose.save()
    services.child_update(
        child=child, data={}, diets=[], consents={purpose.pk: False}, actor=family.user
    )
    history = list(ImageConsent.objects.filter(child=child).order_by("recorded_at", "pk"))
    assert [(c.granted, c.wording) for c in history] == [
        (True, old_wording),
        (False, "Nouveau texte"),
    ]
    assert not current_consents(child=child)[purpose.pk].granted
    # Saving again with the same answer adds nothing.
    services.child_update(
        child=child, data={}, diets=[], consents={purpose.pk: False}, actor=family.user
    )
    assert ImageConsent.objects.filter(child=child).count() == 2


def test_never_asked_and_not_given_records_nothing(family: Family, scoped: object) -> None:
    child = ChildFactory(household=family.household)
    purpose = ConsentPurpose.objects.first()
    assert purpose is not None
    services.child_update(
        child=child, data={}, diets=[], consents={purpose.pk: False}, actor=family.user
    )
    assert not ImageConsent.objects.exists()


@pytest.mark.parametrize("model", [AuthorizedPickup, EmergencyContact])
def test_person_lifecycle_is_recorded(family: Family, scoped: object, model: type) -> None:
    data = {
        "last_name": "DUPONT",
        "first_name": "Pierre",
        "phone": "+33606060606",
        "relationship": "Grand-père",
    }
    person = services.person_create(
        model=model, household=family.household, data=data, actor=family.user
    )
    services.person_update(person=person, data={"phone": "+33607070707"}, actor=family.user)
    services.person_delete(person=person, actor=family.user)
    actions = list(HouseholdChange.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]
    assert not model.objects.exists()


def test_bad_phone_in_the_page_writes_nothing(family: Family, scoped: object) -> None:
    url = reverse("portal:person_add", kwargs={"kind": "personnes-autorisees"})
    response = family.client.post(url, {"last_name": "DURAND", "first_name": "Luc", "phone": "12"})
    assert response.status_code == 200
    assert "numéro de téléphone valide" in response.content.decode()
    assert not AuthorizedPickup.objects.exists()
    assert not HouseholdChange.objects.exists()
    response = family.client.post(
        url, {"last_name": "DURAND", "first_name": "Luc", "phone": "06 12 34 56 78"}
    )
    assert response.status_code == 302
    assert str(AuthorizedPickup.objects.get().phone) == "+33 6 12 34 56 78"


def test_guardian_page_validates_required_fields(family: Family, scoped: object) -> None:
    url = reverse("portal:guardian_edit", kwargs={"pk": family.guardian.pk})
    response = family.client.post(url, {"first_name": "", "mobile_phone": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce champ est obligatoire" in body
    family.guardian.refresh_from_db()
    assert family.guardian.first_name == "Camille"


def test_school_and_class_are_read_only_for_parents(family: Family, scoped: object) -> None:
    child = ChildFactory(household=family.household, school="École A", school_class="CP")
    url = reverse("portal:child_edit", kwargs={"pk": child.pk})
    response = family.client.post(
        url,
        {
            "civility": "F",
            "first_name": child.first_name,
            "last_name": child.last_name,
            "birth_date": "12/04/2017",
            "school": "École B",
            "school_class": "CM2",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.school, child.school_class) == ("École A", "CP")


def test_second_guardian_rank_unique(family: Family, scoped: object) -> None:
    """Two guardians of a household never share a rank: the database refuses it."""
    GuardianFactory(household=family.household, rank=2)
    with pytest.raises(IntegrityError, match=r"(?i)unique"), transaction.atomic():
        GuardianFactory(household=family.household, rank=2)
    assert sorted(
        Guardian.objects.filter(household=family.household).values_list("rank", flat=True)
    ) == [1, 2]


def test_a_diet_differing_only_by_an_accented_capital_is_refused(
    town: Municipality, scoped: object
) -> None:
    """SQLite's ``iexact`` folds ASCII only: "Épices" and "épices" were two diets there."""
    diet_save(municipality=town, diet=None, data={"label": "Épices douces"}, actor=None)
    with pytest.raises(HouseholdError):
        diet_save(municipality=town, diet=None, data={"label": "épices  douces"}, actor=None)
    assert Diet.objects.filter(label__icontains="douces").count() == 1


def test_a_shared_childs_change_is_shown_to_the_other_household_as_lautre_foyer(
    town: Municipality,
) -> None:
    """A change of a shared child's data is logged for both households; the other reads it as
    made by "l'autre foyer", never by name (issue 22)."""
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.households.child_links import child_link_household

    from ..conftest import make_family

    dupont = make_family(town, email="francois@example.org")
    martin = make_family(town, email="claire@example.org")
    with municipality_scope(town):
        paul = ChildFactory(household=dupont.household, first_name="Paul")
        child_link_household(child=paul, household=martin.household, actor=None)
        services.child_update(
            child=paul, data={"first_name": "Paulo"}, diets=[], consents={}, actor=martin.user
        )
        theirs = HouseholdChange.objects.get(household=martin.household)
        ours = HouseholdChange.objects.get(household=dupont.household)
    assert theirs.actor_id == martin.user.pk and not theirs.by_other_household
    assert ours.actor_id is None and ours.by_other_household
    page = dupont.client.get(reverse("portal:children")).content.decode()
    assert "Modifié par l&#x27;autre foyer le" in page or "Modifié par l'autre foyer le" in page
    assert "claire" not in page.lower()
    own_page = martin.client.get(reverse("portal:children")).content.decode()
    assert "autre foyer le" not in own_page
