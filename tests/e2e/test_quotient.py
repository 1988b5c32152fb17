"""The family quotient in Chromium: DUPONT gives consent and fetches its quotient in "Gestion
du foyer" (the API's answer replayed: only the HTTP transport is replaced); an agent opens
FAMILLE X's quotient page (the demo's replayed fetch). Both axe-clean, at 320 px too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import requests
from playwright.sync_api import Page, expect

from espacefamille.quotient.demo import ReplayAdapter

from .agents import check_backoffice_page, sign_in
from .test_household import open_household

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def replayed() -> Iterator[None]:
    def send(_adapter: object, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        return ReplayAdapter().send(request, **kwargs)

    with mock.patch.object(requests.adapters.HTTPAdapter, "send", send):
        yield


def test_the_family_consents_and_fetches(
    page: Page, login: Any, assert_accessible: Any, replayed: None
) -> None:
    login(page)
    open_household(page, "Quotient familial")
    expect(page.get_by_text("API Particulier").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Donner l'accord").click()
    expect(page.get_by_text("Cochez la case pour donner l'accord.")).to_be_visible()
    page.get_by_label("J'accepte.").check()
    page.get_by_role("button", name="Donner l'accord").click()
    expect(page.get_by_text(re.compile("Accord donné le"))).to_be_visible()
    page.get_by_label("Code INSEE de la commune de naissance").fill("84007")
    assert_accessible(page)
    page.get_by_role("button", name="Consulter le quotient").click()
    expect(
        page.get_by_text(re.compile("Quotient familial 650 \\(CAF\\) enregistré"))
    ).to_be_visible()
    expect(page.get_by_role("cell", name="API Particulier (CAF)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Retirer l'accord").click()
    expect(page.get_by_role("button", name="Donner l'accord")).to_be_visible()


def test_an_agent_sees_famille_x_quotient(page: Page) -> None:
    sign_in(page)
    page.goto("/agents/foyers/?q=FAMILLE")
    page.get_by_role("link", name=re.compile("FAMILLE X")).first.click()
    page.get_by_role("link", name=re.compile("Quotient familial : consulter")).click()
    expect(page.get_by_role("cell", name="API Particulier (CAF)")).to_be_visible()
    expect(page.get_by_role("cell", name="650")).to_be_visible()
    check_backoffice_page(page)
    page.get_by_role("link", name="Retour au foyer FAMILLE X").click()
    page.goto("/agents/configuration/api-particulier/")
    expect(page.get_by_label("Jeton API Particulier")).to_have_value("")
    check_backoffice_page(page)
