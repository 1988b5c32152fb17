"""Account journeys in Chromium (seeds 000, 002, 003, 004): invitation e-mail → activation
link → wizard → account created → login; self sign-up → join code; lockout; password reset;
town switcher; the keyboard alone."""

from __future__ import annotations

import re
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo import DEMO_EMAIL, DemoReport
from espacefamille.households.models import Guardian
from espacefamille.onboarding.invitations import invitation_send

from .conftest import Inbox, text_of

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Cantine-du-Jeudi-42"


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def logout(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()


def test_invitation_activation_wizard_then_login(
    page: Page, smtp: Inbox, live_server: Any, login: Any, assert_accessible: Any
) -> None:
    with municipality_scope(
        Guardian.objects.model._meta.apps.get_model("core", "Municipality").objects.get(slug="demo")
    ):
        guardian = Guardian.objects.get(household__external_ref="DEMO-003", rank=1)
        invitation_send(guardian=guardian, base_url=live_server.url)
    message = smtp.wait_for(lambda m: "/activation/" in text_of(m))
    assert message["To"] == "marc.testmp@example.org"
    link = re.search(r"http://\S+/activation/\S+/", text_of(message))
    assert link, text_of(message)

    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Choisir un mot de passe")).to_be_visible()
    expect(page.get_by_label("Adresse e-mail")).to_have_value("marc.testmp@example.org")
    assert_accessible(page)
    password = page.get_by_label("Mot de passe", exact=True)
    upper = page.locator('[data-rule="upper"] .rule-state')
    password.fill("cantine")
    expect(upper).to_have_text(" : non respecté")
    password.fill("Azerty123!")
    expect(upper).to_have_text(" : respecté")
    page.get_by_label("Confirmez votre mot de passe").fill("Azerty123!")
    expect(page.locator('[data-rule="same"] .rule-state')).to_have_text(" : respecté")
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_text("Ce mot de passe est trop courant")).to_be_visible()

    page.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmez votre mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Responsables", exact=True)).to_be_visible()
    expect(page.get_by_label("Prénom")).to_have_value("Marc")
    assert_accessible(page)
    page.get_by_role("button", name="Suivant").click()

    expect(page.get_by_role("heading", name="Enfants du foyer")).to_be_visible()
    expect(page.get_by_text("Clara TESTMP")).to_be_visible()
    expect(page.get_by_text("Guilhem TESTMP")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="S'enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Votre compte espace famille a bien été créé"
    )
    created = smtp.wait_for(lambda m: subject(m) == "Votre compte espace famille a bien été créé")
    assert "Bonjour Marc" in text_of(created)

    logout(page)
    login(page, "marc.testmp@example.org", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Bonjour Marc")).to_be_visible()
    assert_accessible(page)
    page.goto(link.group(0))
    expect(page.get_by_role("alert")).to_contain_text("déjà été utilisé")
    assert_accessible(page)


def _sign_up(page: Page, smtp: Inbox, email_address: str) -> None:
    page.goto("/connexion/")
    page.get_by_role("link", name="Je n'ai pas de compte").click()
    expect(page.get_by_role("heading", name="Créer un compte")).to_be_visible()
    page.get_by_label("Nom", exact=True).fill("X")
    page.get_by_label("Prénom").fill("Sophie")
    page.get_by_label("Adresse e-mail").fill(email_address)
    page.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmez votre mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    message = smtp.wait_for(
        lambda m: "/inscription/confirmer/" in text_of(m) and email_address in str(m["To"])
    )
    link = re.search(r"http://\S+/inscription/confirmer/\S+/", text_of(message))
    assert link
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Adhésion aux collectivités")).to_be_visible()


def test_sign_up_then_join_code_once(
    page: Page, demo: DemoReport, smtp: Inbox, assert_accessible: Any
) -> None:
    [(_town, _household, code)] = demo.join_codes
    page.goto("/connexion/")
    assert_accessible(page)
    page.get_by_role("link", name="Je n'ai pas de compte").click()
    assert_accessible(page)
    _sign_up(page, smtp, "sophie.x@example.org")
    expect(page.get_by_text("Vous n'adhérez à aucune collectivité.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Code d'adhésion").fill("ZZZZZZZZZZ")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Ce code d'adhésion n'existe pas")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code d'adhésion").fill(code.lower())
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("status")).to_contain_text("rattaché au foyer FAMILLE X")
    nav = page.get_by_role("navigation", name="Menu principal")
    nav.get_by_role("link", name="Gestion du foyer").click()
    page.get_by_role("link", name="Enfants").click()
    expect(page.get_by_role("heading", name="Léa X")).to_be_visible()
    expect(page.get_by_role("heading", name="Hugo X")).to_be_visible()
    logout(page)

    _sign_up(page, smtp, "autre.parent@example.org")
    page.get_by_label("Code d'adhésion").fill(code)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Ce code d'adhésion a déjà été utilisé")).to_be_visible()


def test_failed_logins_lock_out_with_a_cool_off(page: Page, assert_accessible: Any) -> None:
    for _attempt in range(6):
        page.goto("/connexion/")
        page.get_by_label("Identifiant (adresse e-mail)").fill(DEMO_EMAIL)
        page.get_by_label("Mot de passe").fill("mauvais mot de passe")
        page.get_by_role("button", name="Se connecter").click()
        locked = page.get_by_role("heading", name="Connexion temporairement bloquée")
        if locked.is_visible():
            break
        expect(page.get_by_text("Identifiant ou mot de passe incorrect")).to_be_visible()
    expect(locked).to_be_visible()
    expect(page.get_by_text("Réessayez dans 15 minutes")).to_be_visible()
    assert_accessible(page)


def test_forgotten_password_by_email_then_change_it(
    page: Page, smtp: Inbox, login: Any, assert_accessible: Any
) -> None:
    page.goto("/connexion/")
    page.get_by_role("link", name="Mot de passe oublié").click()
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill(DEMO_EMAIL)
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    assert_accessible(page)
    message = smtp.wait_for(lambda m: "/reinitialiser/" in text_of(m))
    link = re.search(r"http://\S+/reinitialiser/\S+/", text_of(message))
    assert link
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Nouveau mot de passe")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("heading", name="Mot de passe enregistré")).to_be_visible()

    login(page, DEMO_EMAIL, NEW_PASSWORD)
    page.goto("/foyer/")
    page.get_by_role("link", name="Changer son mot de passe").click()
    assert_accessible(page)
    page.get_by_label("Ancien mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Garderie-du-Soir-18")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Garderie-du-Soir-18")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("status")).to_contain_text("Votre mot de passe a été modifié")


def test_switch_town_and_contacts(page: Page, login: Any, assert_accessible: Any) -> None:
    page.goto("/contacts/")  # anonymous: every town
    expect(page.get_by_role("heading", name="Commune de Démo")).to_be_visible()
    expect(page.get_by_role("heading", name="Commune Voisine")).to_be_visible()
    assert_accessible(page)
    login(page)
    expect(page.get_by_label("Commune", exact=True)).to_have_value(re.compile(r"\d+"))
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Contacts"
    ).click()
    expect(page.get_by_role("heading", name="Commune de Démo")).to_be_visible()
    expect(page.get_by_text("1 place de la Mairie")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Commune", exact=True).select_option(label="Commune Voisine")
    page.get_by_role("button", name="Changer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Vous êtes maintenant sur l'espace de Commune Voisine"
    )
    page.goto("/contacts/")
    expect(page.get_by_role("heading", name="Commune Voisine")).to_be_visible()
    expect(page.get_by_text("2 rue de la Poste")).to_be_visible()
    expect(page.get_by_role("heading", name="Commune de Démo")).to_have_count(0)
    page.get_by_label("Commune", exact=True).select_option(label="Commune de Démo")
    page.get_by_role("button", name="Changer").click()
    expect(page.get_by_role("status")).to_contain_text("Commune de Démo")


def _tab_until(page: Page, target: Any, limit: int = 60) -> None:
    for _press in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"could not reach {target} with Tab")


def test_keyboard_only_journey(page: Page) -> None:
    page.goto("/contacts/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.goto("/connexion/")  # the e-mail field has the focus on arrival
    expect(page.get_by_label("Identifiant (adresse e-mail)")).to_be_focused()
    page.keyboard.type(DEMO_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type("Demo-Famille-2026!")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bonjour François")).to_be_visible()

    _tab_until(
        page,
        page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name="Gestion du foyer"
        ),
    )
    page.keyboard.press("Enter")
    _tab_until(page, page.get_by_role("link", name="Compléments"))
    page.keyboard.press("Enter")
    _tab_until(page, page.get_by_role("link", name=re.compile("Ajouter.*urgence")))
    page.keyboard.press("Enter")
    _tab_until(page, page.get_by_label("Nom", exact=True))
    page.keyboard.type("MARTIN")
    page.keyboard.press("Tab")
    page.keyboard.type("Lucie")
    page.keyboard.press("Tab")
    page.keyboard.type("06 98 76 54 32")
    page.keyboard.press("Tab")
    page.keyboard.type("Voisine")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Vos modifications sont enregistrées")
    expect(page.get_by_text("MARTIN Lucie — 06 98 76 54 32 (Voisine)")).to_be_visible()
