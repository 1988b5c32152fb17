"""An agent sets a child's diets from the town's list (issue 16, item 13): the change is in the
household's history as the family's is, the action log records a health-data change naming the
child but not the diet, and no application log holds the diet's name."""

from __future__ import annotations

import logging

import pytest

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Diet, HouseholdChange

from ..factories import ChildFactory, HouseholdFactory
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db

DIET = "Sans arachide ni fruits à coque"


def test_an_agent_sets_a_diet_logged_as_a_health_data_change(
    regie: Agent, town: Municipality, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    household = HouseholdFactory(municipality=town)
    child = ChildFactory(household=household, first_name="Max", last_name="NEUF")
    with municipality_scope(town):
        diet = Diet.objects.create(municipality=town, label=DIET)
        retired = Diet.objects.create(municipality=town, label="Ancien régime", is_active=False)
    url = f"/agents/foyers/{household.pk}/enfants/{child.pk}/"
    form = regie.client.get(url).context["form"]
    offered = [d.label for d in form.fields["diets"].queryset]  # the town's active list
    assert DIET in offered and "Ancien régime" not in offered
    data = {
        "first_name": "Max",
        "last_name": "NEUF",
        "birth_date": "03/03/2019",
        "diets": [diet.pk],
    }
    refused = regie.client.post(url, data | {"diets": [diet.pk, retired.pk]})
    assert refused.status_code == 200 and refused.context["form"].errors["diets"]
    assert regie.client.post(url, data).status_code == 302
    with municipality_scope(town):
        assert list(child.diets.all()) == [diet]
        entry = ActionLogEntry.objects.get(action="health_data.update")
        assert entry.actor == regie.user and DIET not in str(entry.changes)
        change = HouseholdChange.objects.filter(household=household).latest("pk")
        assert change.changes["diets"] == [[], [DIET]]
    assert DIET in page_text(regie.client.get(url))  # ticked on the form
    regie.client.post(url, data)  # the same diets again: nothing more logged
    with municipality_scope(town):
        assert ActionLogEntry.objects.filter(action="health_data.update").count() == 1
    assert not [record for record in caplog.records if DIET in record.getMessage()]
