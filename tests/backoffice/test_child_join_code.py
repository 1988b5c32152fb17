"""The agent issues a join code for one child from its "Foyers et garde" page: shown once,
logged without the code, reached only through one of the child's households of the town."""

from __future__ import annotations

import re

import pytest

from espacefamille.accounts.models import JoinCode
from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

from ..conftest import make_family
from ..factories import ChildFactory, HouseholdFactory
from .helpers import Agent

pytestmark = pytest.mark.django_db


def test_the_code_is_shown_once_and_logged_without_it(regie: Agent, town: Municipality) -> None:
    dupont = make_family(town)
    with municipality_scope(town):
        paul = ChildFactory(household=dupont.household, first_name="Paul")
    url = f"/agents/foyers/{dupont.household.pk}/enfants/{paul.pk}/foyers/"
    answer = regie.client.post(url + "code-adhesion/", follow=True)
    text = answer.content.decode()
    with municipality_scope(town):
        code = JoinCode.objects.get(child=paul)
        entry = ActionLogEntry.objects.get(action="child.join_code_create")
    assert code.household_id == dupont.household.pk and code.used_at is None
    assert code.code in text
    assert code.code not in str(entry.changes)
    again = regie.client.get(url).content.decode()
    assert code.code not in again  # shown once
    assert re.search(r"valable jusqu.au", again)
    # The household's own access list does not count the child's code as its own.
    detail = regie.client.get(f"/agents/foyers/{dupont.household.pk}/")
    assert list(detail.context["join_codes"]) == []


def test_a_child_of_another_household_answers_404(regie: Agent, town: Municipality) -> None:
    dupont = make_family(town)
    with municipality_scope(town):
        paul = ChildFactory(household=dupont.household)
        other = HouseholdFactory(municipality=town)
    answer = regie.client.post(f"/agents/foyers/{other.pk}/enfants/{paul.pk}/foyers/code-adhesion/")
    assert answer.status_code == 404
    with municipality_scope(town):
        assert not JoinCode.objects.exists()
