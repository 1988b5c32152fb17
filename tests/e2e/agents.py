"""The back office in the browser: signing in as a demo agent (TOTP code computed from the
demo's printed secret), the agents' menu, and the page check every back-office journey runs
(axe at 1280 px and 768 px, no sideways scroll at 768 px)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from espacefamille.demo.agents import AGENT_PASSWORD, DEMO_AGENTS

from ..backoffice.helpers import totp_code
from .conftest import _axe_violations

AGENTS = {(spec.town_slug, spec.role): spec for spec in DEMO_AGENTS}


def check_backoffice_page(page: Page) -> None:
    """axe's RGAA/WCAG rules report nothing, at 1280 px and at 320 px (a phone), where nothing
    scrolls sideways."""
    violations = _axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(violations)
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        page.wait_for_timeout(50)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{page.url}: {widths[0]}px wide at 320px"
        violations = _axe_violations(page)
        assert not violations, f"{page.url} at 320px\n" + "\n".join(violations)
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


def sign_in(page: Page, town: str = "demo", role: str = "administrator") -> str:
    """Both steps; return the code used."""
    spec = AGENTS[(town, role)]
    page.goto("/agents/")
    page.get_by_label("Identifiant (adresse e-mail)").fill(spec.email)
    page.get_by_label("Mot de passe").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    code = totp_code(spec.secret)
    page.get_by_label("Code de l'application d'authentification").fill(code)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=re.compile("Espace agents"))).to_be_visible()
    return code


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Menu des agents").get_by_role(
        "link", name=name, exact=True
    ).click()
