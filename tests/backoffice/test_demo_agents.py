"""The demo's agents: one per role in the Commune de Démo and an administrator of the Commune
Voisine, printed with their base32 TOTP secret, which signs them in."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from espacefamille.accounts.models import AgentRole
from espacefamille.core.tenancy import scopes_disabled
from espacefamille.demo.agents import AGENT_PASSWORD, DEMO_AGENTS

from .helpers import totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_load_demo_prints_one_line_per_agent_and_is_idempotent() -> None:
    out = StringIO()
    call_command("load_demo", base_url="http://demo.test", stdout=out)
    call_command("load_demo", base_url="http://demo.test", stdout=out)
    lines = [
        line.strip() for line in out.getvalue().splitlines() if line.strip().startswith("Agent ")
    ]
    assert lines[:4] == [
        "Agent administrateur (Commune de Démo) : admin.demo@example.org / Demo-Agent-2026! / "
        "TOTP JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "Agent régie (Commune de Démo) : regie.demo@example.org / Demo-Agent-2026! / "
        "TOTP KRUGKIDROVUWG2ZAMJZG653OEBTG66BA",
        "Agent animateur (Commune de Démo) : animateur.demo@example.org / Demo-Agent-2026! / "
        "TOTP MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
        "Agent administrateur (Commune Voisine) : admin.voisine@example.org / Demo-Agent-2026! / "
        "TOTP GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    ]
    with scopes_disabled():
        assert AgentRole.objects.count() == 4
    for spec in DEMO_AGENTS:
        client = Client()
        client.post("/agents/", {"username": spec.email, "password": AGENT_PASSWORD})
        response = client.post("/agents/code/", {"code": totp_code(spec.secret)})
        assert response["Location"] == "/agents/accueil/", spec.email


def test_the_demo_town_has_its_sites_and_the_facilitator_keeps_the_centre() -> None:
    from espacefamille.catalog.models import Enrollment, Site

    call_command("load_demo", base_url="http://demo.test", stdout=StringIO())
    call_command("load_demo", base_url="http://demo.test", stdout=StringIO())  # idempotent
    with scopes_disabled():
        names = sorted(
            Site.objects.filter(municipality__slug="demo").values_list("name", flat=True)
        )
        assert "École du Centre" in names and "École des Tilleuls" in names
        assert len(names) == len(set(names))
        facilitator = AgentRole.objects.get(user__email="animateur.demo@example.org")
        assert [site.name for site in facilitator.sites.all()] == ["École du Centre"]
        tilleuls = Enrollment.objects.filter(child__household__external_ref="DEMO-003")
        assert {enrolment.site.name for enrolment in tilleuls} == {"École des Tilleuls"}
        assert not Enrollment.objects.filter(site=None, municipality__slug="demo").exists()
