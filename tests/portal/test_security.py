"""Security by default: headers, admin for superusers only, another household's ids → 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import AuthorizedPickup

from ..backoffice.helpers import superuser_client
from ..conftest import Family, make_family
from ..factories import (
    AuthorizedPickupFactory,
    ChildFactory,
    EmergencyContactFactory,
    GuardianFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_security_headers(family: Family) -> None:
    response = family.client.get(reverse("portal:household"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_admin_is_for_superusers_only(db: None) -> None:
    staff = UserFactory(is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # back to the admin login
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 302  # a password alone: the second factor too
    client = superuser_client(superuser)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/households/household/").status_code == 200


def _other_household_objects(town: object) -> dict[str, int]:
    other = HouseholdFactory(municipality=town, name="AUTRE")
    return {
        "guardian": GuardianFactory(household=other, rank=1).pk,
        "child": ChildFactory(household=other).pk,
        "pickup": AuthorizedPickupFactory(household=other).pk,
        "contact": EmergencyContactFactory(household=other).pk,
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_households_ids_answer_404(family: Family, method: str) -> None:
    ids = _other_household_objects(family.household.municipality)
    urls = [
        reverse("portal:guardian_edit", kwargs={"pk": ids["guardian"]}),
        reverse("portal:child_edit", kwargs={"pk": ids["child"]}),
        reverse("portal:person_edit", kwargs={"kind": "personnes-autorisees", "pk": ids["pickup"]}),
        reverse(
            "portal:person_delete", kwargs={"kind": "personnes-autorisees", "pk": ids["pickup"]}
        ),
        reverse("portal:person_edit", kwargs={"kind": "urgence", "pk": ids["contact"]}),
        reverse("portal:person_delete", kwargs={"kind": "urgence", "pk": ids["contact"]}),
        # the right id under the wrong kind is not found either
        reverse("portal:person_delete", kwargs={"kind": "urgence", "pk": ids["pickup"]}),
        reverse("portal:person_add", kwargs={"kind": "inconnu"}),
    ]
    for url in urls:
        response = getattr(family.client, method)(url, {"last_name": "X"})
        assert response.status_code == 404, url
    with municipality_scope(family.household.municipality):
        assert AuthorizedPickup.objects.filter(pk=ids["pickup"]).exists()


def test_same_household_in_another_town_is_not_reachable(family: Family) -> None:
    """The DUPONT login's file in another town is only reachable after switching town."""
    other_town = MunicipalityFactory(name="Commune Voisine")
    other = make_family(other_town, email="voisin@example.org")
    child = ChildFactory(household=other.household)
    response = family.client.get(reverse("portal:child_edit", kwargs={"pk": child.pk}))
    assert response.status_code == 404


def test_unknown_url_is_a_french_404(family: Family) -> None:
    response = family.client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
