"""Browser journeys of "Actualités" and "Mes demandes": an agent publishes a post with a PDF
and a parent reads it in the "Lire plus" dialog (focus trapped and given back) and downloads
it; a parent sends "Autorisation de récupération d'un enfant" with an identity document, the
agent replies and closes it (the person named is added to the authorised pickups), the parent
reads the thread and receives the e-mails; an accepted "Changement d'adresse" changes the
guardian's address in "Gestion du foyer". axe and 320 px on the family's pages, 768 px on the
agents'."""

from __future__ import annotations

import re
from collections.abc import Callable
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from espacefamille.core.minimal_pdf import minimal_pdf

from ..uploads_helpers import png_file
from .agents import check_backoffice_page, menu, sign_in
from .conftest import Inbox, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def pdf_path(tmp_path: Path) -> Path:
    path = tmp_path / "TARIF 2026.pdf"
    path.write_bytes(minimal_pdf(title="Tarifs 2026", lines=["Repas : 3,50 EUR"]))
    return path


@pytest.fixture
def identity_path(tmp_path: Path) -> Path:
    path = tmp_path / "carte-identite.png"
    path.write_bytes(png_file().read())
    return path


def family_menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def test_an_agent_publishes_a_post_with_a_pdf_and_a_parent_reads_and_downloads_it(
    page: Page,
    agent_page: Page,
    login: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    pdf_path: Path,
) -> None:
    sign_in(agent_page, role="regie")
    menu(agent_page, "Actualités")
    agent_page.get_by_role("link", name="Nouvelle actualité").click()
    check_backoffice_page(agent_page)
    agent_page.get_by_label("Titre").fill("TARIF 2026")
    agent_page.get_by_label("Texte").fill("Les tarifs de l'année 2026.")
    agent_page.get_by_label("Ajouter des documents").set_input_files(str(pdf_path))
    agent_page.get_by_role("button", name="Enregistrer").click()
    expect(agent_page.get_by_text("L'actualité est enregistrée.")).to_be_visible()
    check_backoffice_page(agent_page)

    login(page)
    family_menu(page, "Actualités")
    card = page.locator("li.news-card", has_text="TARIF 2026")
    expect(card.get_by_text("1 fichier")).to_be_visible()
    assert_accessible(page)
    read_more = card.get_by_role("link", name="Lire plus")
    read_more.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="TARIF 2026")
    expect(dialog).to_be_visible()
    close = dialog.get_by_role("button", name="Fermer")
    expect(close).to_be_focused()
    download_link = dialog.get_by_role("link", name=re.compile("Télécharger TARIF 2026.pdf"))
    page.keyboard.press("Tab")
    expect(download_link).to_be_focused()
    page.keyboard.press("Tab")  # the last control: Tab comes back to the first
    expect(close).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(download_link).to_be_focused()
    assert_accessible(page)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    # Served under a name made from the detected type, never the sender's (issue 15, item 10).
    assert re.fullmatch(r"document-\d+\.pdf", download.suggested_filename)
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    close.click()
    expect(dialog).to_be_hidden()
    expect(read_more).to_be_focused()

    page.keyboard.press("Escape")
    read_more.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(read_more).to_be_focused()


def test_without_javascript_lire_plus_is_a_page(
    page: Page, login: Callable[..., None], assert_accessible: Callable[[Page], None]
) -> None:
    login(page)
    family_menu(page, "Actualités")
    href = page.locator("li.news-card", has_text="RÈGLEMENT INTÉRIEUR").get_by_role(
        "link", name="Lire plus"
    )
    page.goto(href.get_attribute("href") or "")
    expect(page.get_by_role("heading", name="RÈGLEMENT INTÉRIEUR")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("REGLEMENT centre de loisirs.pdf"))
    ).to_be_visible()
    assert_accessible(page)


def _send_request(page: Page, category: str) -> None:
    family_menu(page, "Mes demandes")
    page.get_by_role("link", name="Faire une demande").click()
    page.get_by_role("link", name=f"Choisir : {category}").click()
    page.wait_for_load_state("load")  # the page's scripts have set the fields up


def test_a_pickup_authorisation_answered_and_closed_by_the_town(
    page: Page,
    agent_page: Page,
    login: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    smtp: Inbox,
    identity_path: Path,
) -> None:
    login(page)
    _send_request(page, "Autorisation de récupération d'un enfant")
    text = page.get_by_label("Votre demande")
    expect(text).to_have_value(re.compile("Je souhaiterais autoriser"))
    assert_accessible(page)
    page.get_by_label("Enfant concerné").select_option(label="Julie DUPONT")
    text.fill(
        "Je souhaiterais autoriser Pierre DUPONT à venir récupérer Julie à partir du 1er mars."
    )
    page.get_by_label("Nom de la personne à autoriser", exact=True).fill("DUPONT")
    page.get_by_label("Prénom de la personne à autoriser").fill("Pierre")
    page.get_by_label("Téléphone de la personne à autoriser").fill("06 11 22 33 44")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("La pièce « Pièce d'identité » est obligatoire")).to_be_visible()
    expect(page.get_by_label("Votre demande")).to_have_value(re.compile("Pierre DUPONT"))
    page.get_by_label("Pièce d'identité").set_input_files(str(identity_path))
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Votre demande est envoyée à la commune.")).to_be_visible()
    expect(page.locator("#inquiry-status")).to_have_text("Nouvelle")
    assert_accessible(page)

    sign_in(agent_page, role="regie")
    menu(agent_page, "Demandes des familles")
    check_backoffice_page(agent_page)
    agent_page.get_by_role("link", name="DUPONT").first.click()
    expect(agent_page.get_by_text("Pièce d'identité : carte-identite.png")).to_be_visible()
    expect(agent_page.get_by_label("Prénom de la personne à autoriser")).to_have_value("Pierre")
    check_backoffice_page(agent_page)
    agent_page.get_by_label("Réponse à la famille").fill("C'est noté : Pierre pourra venir.")
    agent_page.get_by_role("button", name="Répondre").click()
    expect(agent_page.locator("#inquiry-status")).to_have_text("En cours")
    agent_page.get_by_label("Statut").select_option(label="Traitée")
    agent_page.get_by_role("button", name="Changer le statut").click()
    expect(agent_page.locator("#inquiry-status")).to_have_text("Traitée")

    reply = smtp.wait_for(lambda m: "C'est noté" in text_of(m))
    assert reply["To"] == "francois.dupont@example.org"
    decision = smtp.wait_for(lambda m: "Statut : Traitée" in text_of(m))
    assert "Traitée" in str(make_header(decode_header(decision["Subject"])))

    page.reload()
    expect(page.locator("#inquiry-status")).to_have_text("Traitée")
    expect(page.get_by_text("C'est noté : Pierre pourra venir.")).to_be_visible()
    family_menu(page, "Mes demandes")
    expect(page.get_by_role("cell", name="Traitée")).to_be_visible()
    assert_accessible(page)
    page.goto("/foyer/complements/")  # accepted: Pierre is now an authorised pickup
    expect(page.locator("main")).to_contain_text("DUPONT Pierre")


def test_an_accepted_change_of_address_reaches_gestion_du_foyer(
    page: Page,
    agent_page: Page,
    login: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    pdf_path: Path,
) -> None:
    login(page)
    _send_request(page, "Changement d'adresse")
    page.get_by_label("Adresse (nouvelle)").fill("3 chemin des Vignes")
    page.get_by_label("Code postal").fill("84000")
    page.get_by_label("Ville").fill("Démo-sur-Sorgue")
    page.get_by_label("Justificatif de domicile").set_input_files(str(pdf_path))
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Votre demande est envoyée à la commune.")).to_be_visible()

    sign_in(agent_page, role="regie")
    menu(agent_page, "Demandes des familles")
    agent_page.get_by_role("link", name="DUPONT").first.click()
    expect(agent_page.get_by_text("3 chemin des Vignes")).to_be_visible()
    agent_page.get_by_label("Statut").select_option(label="Traitée")
    agent_page.get_by_role("button", name="Changer le statut").click()
    expect(agent_page.get_by_text(re.compile("Appliquée au dossier du foyer"))).to_be_visible()

    family_menu(page, "Gestion du foyer")
    page.get_by_role("link", name="Responsables").click()
    expect(
        page.get_by_text(re.compile("3 chemin des Vignes 84000 Démo-sur-Sorgue"))
    ).to_be_visible()


def test_a_file_over_the_limit_is_flagged_before_sending(
    page: Page,
    agent_page: Page,
    login: Callable[..., None],
    settings: Any,
    pdf_path: Path,
) -> None:
    settings.MAX_UPLOAD_SIZE = 100
    login(page)
    _send_request(page, "Allergie / PAI")
    expect(page.get_by_text("PDF, JPEG ou PNG, 100").first).to_be_visible()
    field = page.get_by_label("Certificat médical")
    field.set_input_files(str(pdf_path))
    expect(page.get_by_role("alert")).to_contain_text("« TARIF 2026.pdf » dépasse la taille")
    assert field.evaluate("input => input.files.length") == 0

    sign_in(agent_page, role="administrator")
    menu(agent_page, "Demandes des familles")
    agent_page.get_by_role("link", name="Thématiques et pièces obligatoires").click()
    check_backoffice_page(agent_page)
    agent_page.get_by_role("link", name="Modifier Changement d'adresse").click()
    expect(agent_page.get_by_label("Pièce(s) jointe(s) obligatoire(s)")).to_have_value(
        "Justificatif de domicile"
    )
    check_backoffice_page(agent_page)
