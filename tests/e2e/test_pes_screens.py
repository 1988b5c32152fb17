""" "Titres de recettes (PES)" in Chromium: the demo administrator opens the screen under
Facturation, produces the file of Restaurant scolaire's latest final month, sees it in the
history, and is refused a letter in CodBud in the settings (a 15-digit SIRET cannot be
typed: the field holds 14 characters; the server's refusal is tested in tests/pes). Every
page passes axe at 1280 px and at 320 px."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ..pes.conftest import xsd_folder
from .agents import check_backoffice_page, menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def schemas(settings: Any, tmp_path: Path) -> None:
    folder = xsd_folder()
    if folder is None:
        message = "Schémas PES absents : PES_XSD_PATH non défini."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    settings.PES_XSD_PATH = str(folder)
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_pes_screen_export_and_settings(page: Page, schemas: None) -> None:
    sign_in(page)
    menu(page, "Facturation")
    page.get_by_role("link", name="Titres de recettes (PES)").click()
    expect(page.get_by_role("heading", name="Titres de recettes (PES)", level=1)).to_be_visible()
    check_backoffice_page(page)
    choice = page.get_by_label("Régie et mois à transmettre")
    options = choice.locator("option").all_inner_texts()
    restaurant = [text for text in options if text.startswith("Restaurant scolaire")]
    assert restaurant, options
    choice.select_option(label=restaurant[0])
    page.get_by_role("button", name="Produire le fichier PES").click()
    expect(page.get_by_text(re.compile(r"Bordereau 1 transmis"))).to_be_visible()
    history = page.get_by_role("table", name="Historique des bordereaux")
    expect(history.get_by_role("rowheader").first).to_have_text(re.compile(r"^1/\d{4}$"))
    check_backoffice_page(page)
    page.get_by_role("link", name="Modifier les paramètres de la trésorerie").click()
    check_backoffice_page(page)
    page.get_by_label("Code budget (CodBud)").fill("0A")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(re.compile("puis un chiffre"))).to_be_visible()
    check_backoffice_page(page)
