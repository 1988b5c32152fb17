"""Booking at the counter (issue 16, item 8): the agent finds the child by its name or its
household's, as on the households page, among the children of the agent's town only; a plain
GET form listing the children found, each a radio button, so it works without JavaScript."""

from __future__ import annotations

import pytest

from espacefamille.bookings.models import Booking
from espacefamille.core.models import Municipality

from ..bookings.conftest import THU_12, Setup, frozen, setup  # noqa: F401
from ..factories import ChildFactory, HouseholdFactory, MunicipalityFactory
from .helpers import make_agent, page_text

pytestmark = pytest.mark.django_db


def _day(setup: Setup, **extra: str) -> dict[str, str]:  # noqa: F811
    return {"product": str(setup.p("REPAS").pk), "day": THU_12.isoformat(), **extra}


def test_the_counter_finds_the_child_by_name_or_household(
    town: Municipality,
    setup: Setup,  # noqa: F811
) -> None:
    other = HouseholdFactory(municipality=MunicipalityFactory(), name="DUPONT")
    ChildFactory(household=other, first_name="Paul")  # another town's Paul
    agent = make_agent(town, "regie")
    url = "/agents/reservations/jour/"
    page = agent.client.get(url, _day(setup))
    assert "Numéro de l'enfant" not in page_text(page)
    assert "Rechercher l'enfant : nom de l'enfant ou du foyer" in page_text(page)
    by_name = agent.client.get(url, _day(setup, enfant="paul"))
    assert by_name.context["found_children"] == [setup.paul]
    text = page_text(by_name)
    household = setup.paul.household.name
    assert f'type="radio" name="child" value="{setup.paul.pk}"' in text
    assert f"Paul {setup.paul.last_name} — foyer {household}" in text
    by_household = agent.client.get(url, _day(setup, enfant=household.lower()))
    assert set(by_household.context["found_children"]) == {setup.paul, setup.julie}
    nobody = agent.client.get(url, _day(setup, enfant="Zébulon"))
    assert "Aucun enfant trouvé pour « Zébulon »." in page_text(nobody)
    chosen = {"product": setup.p("REPAS").pk, "day": THU_12.isoformat(), "child": setup.paul.pk}
    agent.client.post("/agents/reservations/pour-une-famille/", chosen)
    assert Booking.objects.filter(child=setup.paul, date=THU_12).exists()
