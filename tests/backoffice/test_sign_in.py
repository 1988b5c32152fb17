"""Agents' sign-in: password then TOTP (wrong and reused codes refused), recovery codes used
once, 30 minutes idle expiry, a disabled agent refused at once."""

from __future__ import annotations

import time
from http.cookies import Morsel
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from espacefamille.configuration.agents import agent_set_active
from espacefamille.core.tenancy import municipality_scope

from ..factories import PASSWORD, UserFactory
from .helpers import Agent, make_agent, page_text, totp_code

pytestmark = pytest.mark.django_db

HOME = "/agents/accueil/"


def _password_step(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post("/agents/", {"username": email, "password": password})


def test_password_then_totp_opens_the_back_office(administrator: Agent) -> None:
    client = Client()
    assert client.get(HOME).status_code == 302
    response = _password_step(client, administrator.user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:sign_in_code")
    assert client.get(HOME)["Location"] == "/agents/"  # not signed in before the code
    response = client.post("/agents/code/", {"code": totp_code(administrator.secret)})
    assert response["Location"] == HOME
    page = client.get(HOME)
    assert page.status_code == 200
    assert "Commune de Test" in page_text(page)


def test_wrong_and_reused_codes_are_refused(administrator: Agent) -> None:
    client = Client()
    _password_step(client, administrator.user.email)
    now = time.time()
    wrong = f"{(int(totp_code(administrator.secret, at=now)) + 1) % 1_000_000:06d}"
    response = client.post("/agents/code/", {"code": wrong})
    assert response.status_code == 200
    assert "Code incorrect" in page_text(response)
    time.sleep(1.1)  # django-otp slows down after a failure
    code = totp_code(administrator.secret)
    assert client.post("/agents/code/", {"code": code})["Location"] == HOME
    other = Client()
    _password_step(other, administrator.user.email)
    response = other.post("/agents/code/", {"code": code})
    assert response.status_code == 200
    assert "déjà utilisé" in page_text(response)


def test_a_recovery_code_works_once(town: object) -> None:
    from espacefamille.accounts.two_factor import device_provision

    agent = make_agent(town, "regie")  # type: ignore[arg-type]
    secrets = device_provision(user=agent.user)
    client = Client()
    _password_step(client, agent.user.email)
    assert client.post("/agents/code/", {"code": secrets.recovery_codes[0]})["Location"] == HOME
    again = Client()
    _password_step(again, agent.user.email)
    assert again.post("/agents/code/", {"code": secrets.recovery_codes[0]}).status_code == 200


def test_a_login_without_agent_role_cannot_pass(db: None) -> None:
    user = UserFactory()
    client = Client()
    response = _password_step(client, user.email)
    assert response.status_code == 200
    assert "accès agent" in page_text(response)
    assert client.get("/agents/code/")["Location"] == "/agents/"


def test_wrong_password_is_refused(administrator: Agent) -> None:
    response = _password_step(Client(), administrator.user.email, "Pas-le-bon-1!")
    assert response.status_code == 200
    assert "incorrect" in page_text(response)


def test_a_family_session_is_not_an_agent_session(administrator: Agent) -> None:
    client = Client()
    client.force_login(administrator.user)  # password only, no second factor
    assert client.get(HOME)["Location"] == "/agents/"


def test_agent_session_expires_after_30_minutes_idle(administrator: Agent) -> None:
    client = administrator.client
    with time_machine.travel(time.time() + 29 * 60, tick=False):
        assert client.get(HOME).status_code == 200
    with time_machine.travel(time.time() + 29 * 60 * 2, tick=False):
        assert client.get(HOME).status_code == 200  # activity refreshed the idle clock
    with time_machine.travel(time.time() + 29 * 60 * 2 + 31 * 60, tick=False):
        response = client.get(HOME)
        assert response["Location"] == "/agents/"
    assert client.get(HOME)["Location"] == "/agents/"  # the session is gone


def test_a_disabled_agent_is_refused_at_the_next_request(
    administrator: Agent, regie: Agent
) -> None:
    assert regie.client.get(HOME).status_code == 200
    with municipality_scope(regie.role.municipality_id):
        agent_set_active(agent_role=regie.role, actor=administrator.user, is_active=False)
    assert regie.client.get(HOME)["Location"] == "/agents/"


def test_an_agent_of_two_towns_switches_between_them(town: object) -> None:
    from ..factories import HouseholdFactory, MunicipalityFactory

    other_town = MunicipalityFactory(name="Voisine")  # sorted after "Commune de Test"
    agent = make_agent(town, "regie", email="deux.communes@example.org")  # type: ignore[arg-type]
    make_agent(other_town, "administrator", email="deux.communes@example.org")
    elsewhere = HouseholdFactory(municipality=other_town, name="AILLEURS")
    client = agent.client
    page = client.get(HOME)
    assert page.context["agent_role"].municipality == town
    assert len(page.context["agent_roles"]) == 2
    assert client.get(f"/agents/foyers/{elsewhere.pk}/").status_code == 404
    assert client.get("/agents/configuration/").status_code == 403  # régie here
    client.post("/agents/commune/", {"municipality": other_town.pk})
    assert client.get(HOME).context["agent_role"].municipality == other_town
    assert client.get(f"/agents/foyers/{elsewhere.pk}/").status_code == 200
    assert client.get("/agents/configuration/").status_code == 200  # administrator there
    client.post("/agents/commune/", {"municipality": "999999"})  # not theirs: ignored
    assert client.get(HOME).context["agent_role"].municipality == other_town


def _session_cookies(*responses: Any) -> list[Morsel[str]]:
    return [
        response.cookies["sessionid"] for response in responses if "sessionid" in response.cookies
    ]


def test_agent_session_cookie_dies_with_the_browser_and_idles_out_on_the_server(
    administrator: Agent,
) -> None:
    """As the family's: no Max-Age or Expires on the session cookie, from the password step to
    a request that refreshes the idle clock; the 30 minutes idle are enforced by the server."""
    start = time.time()
    client = Client()
    with time_machine.travel(start, tick=False):
        password = _password_step(client, administrator.user.email)
        code = client.post("/agents/code/", {"code": totp_code(administrator.secret)})
        assert code["Location"] == HOME
    with time_machine.travel(start + 2 * 60, tick=False):
        touched = client.get(HOME)  # refreshes the idle clock: the session is saved again
        assert touched.status_code == 200
    cookies = _session_cookies(password, code, touched)
    assert len(cookies) == 3
    for cookie in cookies:
        assert not cookie["max-age"] and not cookie["expires"], cookie.output()
    with time_machine.travel(start + 2 * 60 + 31 * 60, tick=False):
        assert client.get(HOME)["Location"] == "/agents/"
    assert "_auth_user_id" not in client.session
    assert client.get(HOME)["Location"] == "/agents/"
