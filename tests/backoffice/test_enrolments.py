"""Enrol a child in a service for a school year, or a whole class at once (logged; enrolling
again changes nothing)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from espacefamille.audit.models import ActionLogEntry
from espacefamille.catalog.models import Enrollment, Service, school_year_of
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog

from ..factories import ChildFactory, HouseholdFactory, site_named
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db


def _restaurant(town: Municipality) -> Service:
    with municipality_scope(town):
        load_catalog(town)
        return Service.objects.get(name="Restaurant scolaire")


def test_enrol_one_child(regie: Agent, town: Municipality) -> None:
    service = _restaurant(town)
    child = ChildFactory(household=HouseholdFactory(municipality=town), school="Centre")
    year = school_year_of(timezone.localdate())
    url = f"/agents/foyers/{child.household_id}/enfants/{child.pk}/inscription/"
    site = site_named(town, "Cantine du Centre")
    data = {"service": service.pk, "school_year": year, "site": site.pk}
    assert regie.client.post(url, data).status_code == 302
    assert "déjà inscrit" in page_text(regie.client.post(url, data, follow=True))
    with municipality_scope(town):
        enrollment = Enrollment.objects.get(child=child)
        assert (enrollment.school_year, enrollment.site) == (year, site)
        assert ActionLogEntry.objects.filter(action="enrollment.create").count() == 1
    bad = regie.client.post(url, {**data, "school_year": year + 5})
    assert bad.status_code == 200
    assert bad.context["form"].errors["school_year"]


def test_enrol_a_whole_class(regie: Agent, town: Municipality) -> None:
    service = _restaurant(town)
    for name in ("Ana", "Ben"):
        ChildFactory(
            household=HouseholdFactory(municipality=town),
            first_name=name,
            school="École du Centre",
            school_class="CE1",
        )
    ChildFactory(
        household=HouseholdFactory(municipality=town), school="École du Centre", school_class="CP"
    )
    data = {
        "school": "école du centre",
        "school_class": "ce1",
        "service": service.pk,
        "school_year": school_year_of(timezone.localdate()),
    }
    response = regie.client.post("/agents/foyers/inscrire-une-classe/", data, follow=True)
    assert "2 enfants de la classe ce1 inscrits" in page_text(response)
    again = regie.client.post("/agents/foyers/inscrire-une-classe/", data, follow=True)
    assert "0 enfant de la classe ce1 inscrit." in page_text(again)
    with municipality_scope(town):
        assert Enrollment.objects.count() == 2
