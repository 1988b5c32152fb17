"""Sites are a town's list (issue 16, item 9): administrators add, rename and deactivate them
under Configuration; a duplicate name is refused in French; every screen chooses a site from
the list, so a typo can no longer make a new site; another town's site answers 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from espacefamille.catalog.models import Enrollment, Service, Site, school_year_of
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog

from ..factories import ChildFactory, HouseholdFactory, MunicipalityFactory, site_named
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db

URL = "/agents/configuration/sites/"


def _sites(town: Municipality) -> list[tuple[str, bool]]:
    with municipality_scope(town):
        return list(Site.objects.order_by("name").values_list("name", "is_active"))


def test_an_administrator_adds_renames_and_deactivates_a_site(
    administrator: Agent, town: Municipality
) -> None:
    client = administrator.client
    assert "Sites" in page_text(client.get("/agents/configuration/"))
    assert client.post(URL + "ajouter/", {"name": "  École   du Centre "}).status_code == 302
    assert _sites(town) == [("École du Centre", False)]  # an unticked box is "not offered"
    with municipality_scope(town):
        site = Site.objects.get()
    response = client.post(f"{URL}{site.pk}/", {"name": "École du Centre-ville", "is_active": "on"})
    assert response.status_code == 302
    assert _sites(town) == [("École du Centre-ville", True)]
    assert "École du Centre-ville" in page_text(client.get(URL))


def test_a_duplicate_name_is_refused_in_french(administrator: Agent, town: Municipality) -> None:
    site_named(town, "École des Tilleuls")
    response = administrator.client.post(URL + "ajouter/", {"name": "école des tilleuls"})
    assert response.status_code == 200
    assert "Un site porte déjà ce nom dans la commune." in page_text(response)
    assert _sites(town) == [("École des Tilleuls", True)]
    site_named(MunicipalityFactory(), "École du Centre")  # another town's name is no conflict
    assert (
        administrator.client.post(URL + "ajouter/", {"name": "École du Centre"}).status_code == 302
    )


def test_another_towns_site_answers_404_and_other_roles_403(
    administrator: Agent, regie: Agent, town: Municipality
) -> None:
    elsewhere = site_named(MunicipalityFactory(), "École d'ailleurs")
    assert administrator.client.get(f"{URL}{elsewhere.pk}/").status_code == 404
    assert administrator.client.post(f"{URL}{elsewhere.pk}/", {"name": "X"}).status_code == 404
    assert regie.client.get(URL).status_code == 403


def test_the_enrolment_form_chooses_a_site_from_the_list(regie: Agent, town: Municipality) -> None:
    with municipality_scope(town):
        service = load_catalog(town)[0]
    centre = site_named(town, "École du Centre")
    closed = site_named(town, "École fermée")
    with municipality_scope(town):
        Site.objects.filter(pk=closed.pk).update(is_active=False)
    child = ChildFactory(household=HouseholdFactory(municipality=town))
    url = f"/agents/foyers/{child.household_id}/enfants/{child.pk}/inscription/"
    form = regie.client.get(url).context["form"]
    assert [str(value) for value, _label in form.fields["site"].choices] == ["", str(centre.pk)]
    year = school_year_of(timezone.localdate())
    typed = regie.client.post(url, {"service": service.pk, "school_year": year, "site": "Centre"})
    assert typed.status_code == 200 and typed.context["form"].errors["site"]
    with municipality_scope(town):
        assert not Enrollment.objects.exists()
    chosen = {"service": service.pk, "school_year": year, "site": centre.pk}
    assert regie.client.post(url, chosen).status_code == 302
    with municipality_scope(town):
        assert Enrollment.objects.get().site == centre


def test_the_day_view_filters_by_a_site_of_the_list(regie: Agent, town: Municipality) -> None:
    with municipality_scope(town):
        load_catalog(town)
        product = Service.objects.get(name="Restaurant scolaire").products.first()
    site_named(town, "École du Centre")
    base = f"/agents/reservations/jour/?product={product.pk}&day=2027-01-04"
    form = regie.client.get(base).context["form"]
    assert [value for value, _label in form.fields["site"].choices] == ["", "École du Centre"]
    assert regie.client.get(base + "&site=École du Centre").context["overview"] is not None
    typo = regie.client.get(base + "&site=Ecole du Centre")
    assert typo.status_code == 200 and typo.context["form"].errors["site"]
