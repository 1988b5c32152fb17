""" "Gestion du foyer" → "Mes données" in Chromium: the DUPONT family downloads its ZIP; the
footer's "Données personnelles" and "Accessibilité : …" pages open without signing in. Every
page passes the accessibility checks."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .test_household import open_household

pytestmark = pytest.mark.django_db(transaction=True)


def test_family_downloads_its_data(
    page: Page, login: Any, assert_accessible: Any, tmp_path: Path
) -> None:
    login(page)
    open_household(page, "Mes données")
    expect(page.get_by_role("heading", name="Mes données")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mes données (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("mes-donnees-dupont-")
    saved = tmp_path / "export.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        data = json.loads(archive.read("donnees.json"))
    assert data["foyer"][0]["nom"] == "DUPONT"
    assert {child["prenom"] for child in data["enfants"]} == {"Paul", "Julie"}


def test_footer_pages_open_without_signing_in(page: Page, assert_accessible: Any) -> None:
    page.goto("/connexion/")
    page.get_by_role("contentinfo").get_by_role("link", name="Données personnelles").click()
    expect(page.get_by_role("heading", name="Données personnelles", level=1)).to_be_visible()
    expect(page.get_by_text("Commune de Démo").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("contentinfo").get_by_role(
        "link", name="Accessibilité : partiellement conforme"
    ).click()
    expect(page.get_by_role("heading", name="Déclaration d'accessibilité")).to_be_visible()
    assert_accessible(page)
