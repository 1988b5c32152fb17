"""Every page of the portal answers for a signed-in family, and anonymously where it should."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from espacefamille.core.tenancy import municipality_scope

from ..conftest import Family
from ..factories import AuthorizedPickupFactory, ChildFactory

pytestmark = pytest.mark.django_db


def test_family_pages_render(family: Family) -> None:
    child = ChildFactory(household=family.household)
    pickup = AuthorizedPickupFactory(household=family.household)
    urls = [
        reverse("portal:home"),
        reverse("portal:contacts"),
        reverse("portal:household"),
        reverse("portal:guardians"),
        reverse("portal:guardian_edit", kwargs={"pk": family.guardian.pk}),
        reverse("portal:guardian_add"),
        reverse("portal:children"),
        reverse("portal:child_edit", kwargs={"pk": child.pk}),
        reverse("portal:extras"),
        reverse("portal:person_add", kwargs={"kind": "urgence"}),
        reverse("portal:person_edit", kwargs={"kind": "personnes-autorisees", "pk": pickup.pk}),
        reverse("portal:person_delete", kwargs={"kind": "personnes-autorisees", "pk": pickup.pk}),
        reverse("portal:join"),
        reverse("accounts:password_change"),
    ]
    for url in urls:
        response = family.client.get(url)
        assert response.status_code == 200, url
        assert "Gestion du foyer" in response.content.decode(), url


@pytest.mark.parametrize(
    "name", ["accounts:login", "accounts:signup", "accounts:password_reset", "portal:contacts"]
)
def test_anonymous_pages_render(town: object, name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()


def test_anonymous_home_redirects_to_login(db: None) -> None:
    response = Client().get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_without_household_goes_to_join_code(family: Family) -> None:
    with municipality_scope(family.household.municipality):
        family.guardian.user = None
        family.guardian.save()
    response = family.client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:join")
