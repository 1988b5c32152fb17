"""Administrators create, change, disable and reset agents; each change is in the action log;
another town's agent is a 404."""

from __future__ import annotations

import pytest
from django.test import Client

from espacefamille.accounts.models import AgentRole
from espacefamille.audit.models import ActionLogEntry
from espacefamille.catalog.models import Site
from espacefamille.core.tenancy import municipality_scope

from ..factories import MunicipalityFactory, site_named
from .helpers import Agent, make_agent, page_text, totp_code

pytestmark = pytest.mark.django_db


def _actions(town: object) -> list[str]:
    with municipality_scope(town):  # type: ignore[arg-type]
        return list(ActionLogEntry.objects.order_by("pk").values_list("action", flat=True))


def test_create_an_agent_shows_the_secret_once(administrator: Agent, town: object) -> None:
    site_a, site_b = site_named(town, "École A"), site_named(town, "École B")  # type: ignore[arg-type]
    response = administrator.client.post(
        "/agents/agents/ajouter/",
        {
            "email": "Nouvel.Agent@example.org",
            "last_name": "NOUVEL",
            "first_name": "Agent",
            "role": "facilitator",
            "sites": [site_a.pk, site_b.pk, site_a.pk],
            "password": "Agent-Nouveau-2026!",
        },
    )
    assert response.status_code == 200
    secret = response.context["secrets"].secret
    assert len(response.context["secrets"].recovery_codes) == 10
    with municipality_scope(town):  # type: ignore[arg-type]
        role = AgentRole.objects.get(user__email="nouvel.agent@example.org")
        assert list(role.sites.order_by("name")) == [site_a, site_b]
    assert _actions(town)[-1] == "agent.create"
    client = Client()
    client.post(
        "/agents/", {"username": "nouvel.agent@example.org", "password": "Agent-Nouveau-2026!"}
    )
    assert (
        client.post("/agents/code/", {"code": totp_code(secret)})["Location"] == "/agents/accueil/"
    )


def test_a_new_login_needs_a_password(administrator: Agent) -> None:
    response = administrator.client.post(
        "/agents/agents/ajouter/",
        {"email": "x@example.org", "last_name": "X", "first_name": "Y", "role": "regie"},
    )
    assert response.status_code == 200
    assert "mot de passe initial" in page_text(response)


def test_edit_disable_enable_and_reset(administrator: Agent, regie: Agent, town: object) -> None:
    client = administrator.client
    url = f"/agents/agents/{regie.role.pk}/"
    centre = site_named(town, "Centre")  # type: ignore[arg-type]
    assert client.post(url, {"role": "facilitator", "sites": [centre.pk]}).status_code == 302
    assert client.post(url + "activation/").status_code == 302
    assert client.post(url + "activation/").status_code == 302
    response = client.post(url + "reinitialiser-application/")
    assert response.status_code == 200
    assert response.context["secrets"].secret != regie.secret
    assert _actions(town)[-4:] == [
        "agent.update",
        "agent.disable",
        "agent.enable",
        "agent.device_reset",
    ]
    assert regie.client.get("/agents/accueil/")["Location"] == "/agents/"  # sessions ended


def test_an_administrator_cannot_disable_themself(administrator: Agent) -> None:
    response = administrator.client.post(
        f"/agents/agents/{administrator.role.pk}/activation/", follow=True
    )
    assert "propre accès" in page_text(response)
    administrator.role.refresh_from_db()
    assert administrator.role.is_active


def test_another_towns_agent_is_a_404(administrator: Agent) -> None:
    other = make_agent(MunicipalityFactory(), "regie", email="voisin@example.org")
    for path in ("", "activation/", "reinitialiser-application/"):
        url = f"/agents/agents/{other.role.pk}/{path}"
        response = administrator.client.post(url) if path else administrator.client.get(url)
        assert response.status_code == 404, url
    other.role.refresh_from_db()
    assert other.role.is_active


def test_action_log_lists_and_filters(administrator: Agent, regie: Agent) -> None:
    administrator.client.post(f"/agents/agents/{regie.role.pk}/activation/")
    page = administrator.client.get("/agents/journal/", {"action": "agent."})
    assert page.status_code == 200
    assert "agent désactivé" in page_text(page)
    empty = administrator.client.get("/agents/journal/", {"action": "closure."})
    assert "agent désactivé" not in page_text(empty)
    assert (
        administrator.client.get("/agents/journal/", {"since": "pas une date"}).status_code == 200
    )


def test_action_log_speaks_french(administrator: Agent, regie: Agent, town: object) -> None:
    from ..factories import GuardianFactory, HouseholdFactory

    household = HouseholdFactory(municipality=town)
    guardian = GuardianFactory(household=household, first_name="Paul")
    url = f"/agents/foyers/{household.pk}/responsables/{guardian.pk}/"
    administrator.client.post(
        url, {"first_name": "Pierre", "last_name": "X", "email": guardian.email}
    )
    text = page_text(administrator.client.get("/agents/journal/"))
    assert "responsable modifié" in text
    assert "prénom : Paul → Pierre" in text
    assert "(responsable n°" in text
    history = page_text(administrator.client.get(f"/agents/foyers/{household.pk}/"))
    assert "prénom : Paul → Pierre" in history


def test_the_agent_form_offers_the_towns_active_sites_only(
    administrator: Agent, town: object
) -> None:
    centre = site_named(town, "École du Centre")  # type: ignore[arg-type]
    closed = site_named(town, "École fermée")  # type: ignore[arg-type]
    with municipality_scope(town):  # type: ignore[arg-type]
        Site.objects.filter(pk=closed.pk).update(is_active=False)
    elsewhere = site_named(MunicipalityFactory(), "École d'ailleurs")
    response = administrator.client.get("/agents/agents/ajouter/")
    choices = [site for site, _label in response.context["form"].fields["sites"].choices]
    assert [str(choice) for choice in choices] == [str(centre.pk)]
    data = {
        "email": "anim@example.org",
        "last_name": "ANIM",
        "first_name": "Léa",
        "role": "facilitator",
        "sites": [elsewhere.pk],
        "password": "Agent-Nouveau-2026!",
    }
    refused = administrator.client.post("/agents/agents/ajouter/", data)
    assert refused.status_code == 200 and refused.context["form"].errors["sites"]
    with municipality_scope(town):  # type: ignore[arg-type]
        assert not AgentRole.objects.filter(user__email="anim@example.org").exists()
