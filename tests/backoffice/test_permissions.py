"""Role × screen: every cell of the table is tested. An administrator opens everything, a
régie agent the households, a facilitator only the home (403 elsewhere); without a verified
agent session every screen sends to the sign-in page; another town's objects are 404."""

from __future__ import annotations

import pytest
from django.test import Client

from espacefamille.backoffice.permissions import ROLE_AREAS, Area
from espacefamille.core.models import Municipality

from ..factories import MunicipalityFactory
from .helpers import make_agent, superuser_client
from .screens import Objects, post_actions, screens, town_objects

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "regie", "facilitator"]
# The table, spelled out (the code's ROLE_AREAS must agree with it).
EXPECTED = {
    "administrator": set(Area),
    "regie": {
        Area.HOME,
        Area.HOUSEHOLDS,
        Area.BOOKINGS,
        Area.NEWS,
        Area.INQUIRIES,
        Area.ATTENDANCE,
        Area.KITCHEN,
        Area.INVOICING,
        Area.DASHBOARD,
    },
    "facilitator": {Area.HOME, Area.ATTENDANCE},
}
SCREEN_COUNT = len(screens(Objects(1, 1, 1, 1, 1, 1, 1, 1)))
ACTION_COUNT = len(post_actions(Objects(1, 1, 1, 1, 1, 1, 1, 1)))


def test_the_code_follows_the_table() -> None:
    assert {role: set(areas) for role, areas in ROLE_AREAS.items()} == EXPECTED


@pytest.fixture
def other_agent_objects(town: Municipality) -> Objects:
    """Objects of the test town (someone else's agent row for the agent screens)."""
    other = make_agent(town, "regie", email="collegue@example.org")
    return town_objects(town, other.role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(SCREEN_COUNT))
def test_role_by_screen(
    town: Municipality, other_agent_objects: Objects, role: str, index: int
) -> None:
    url, area = screens(other_agent_objects)[index]
    agent = make_agent(town, role)
    expected = 200 if area in EXPECTED[role] else 403
    assert agent.client.get(url).status_code == expected, (role, url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(ACTION_COUNT))
def test_role_by_action(
    town: Municipality, other_agent_objects: Objects, role: str, index: int
) -> None:
    url, area = post_actions(other_agent_objects)[index]
    agent = make_agent(town, role)
    status = agent.client.post(url).status_code
    if area in EXPECTED[role]:
        assert status in (200, 302), (role, url, status)
    else:
        assert status == 403, (role, url, status)


@pytest.mark.parametrize("index", range(SCREEN_COUNT))
def test_without_an_agent_session_every_screen_sends_to_sign_in(
    other_agent_objects: Objects, index: int
) -> None:
    url, _area = screens(other_agent_objects)[index]
    assert Client().get(url)["Location"] == "/agents/"


def test_another_towns_objects_are_404_whatever_the_url(
    town: Municipality, other_agent_objects: Objects
) -> None:
    neighbour = make_agent(MunicipalityFactory(name="Voisine"), "administrator")
    for url, _area in screens(other_agent_objects):
        if any(str(pk) in url.split("/") for pk in vars(other_agent_objects).values()):
            assert neighbour.client.get(url).status_code == 404, url
    for url, _area in post_actions(other_agent_objects):
        if any(str(pk) in url.split("/") for pk in vars(other_agent_objects).values()):
            assert neighbour.client.post(url).status_code == 404, url


def test_superusers_admin_lists_agents_and_the_action_log(administrator: object) -> None:
    from ..factories import UserFactory

    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = superuser_client(superuser)  # password and second factor
    assert client.get("/admin/accounts/agentrole/").status_code == 200
    assert client.get("/admin/audit/actionlogentry/").status_code == 200
    assert client.get("/admin/audit/actionlogentry/add/").status_code == 403
