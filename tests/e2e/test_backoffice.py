"""The agents' back office in Chromium, as a town's agents would use it: sign in with a TOTP
code computed from the demo's printed secret (a wrong or reused code refused); create a
household and send its invitation (the family then activates its account); import a CSV with
two bad lines; change a product's booking deadline in plain French and see the family's agenda
follow; a Commune Voisine agent gets 404 on a Démo household; a facilitator gets 403 on the
configuration. Every page: axe clean, no sideways scroll at 768 px; the keyboard alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from espacefamille.accounts.models import AgentRole
from espacefamille.catalog.models import Product, Site
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.agents import AGENT_PASSWORD
from espacefamille.households.models import Household
from espacefamille.onboarding.importing import COLUMNS

from ..backoffice.helpers import totp_code
from .agents import AGENTS, check_backoffice_page, menu, sign_in
from .conftest import Inbox, text_of
from .test_bookings import _cell, _child, _meal, _open_week, _week_with_bookable_days

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_totp_sign_in_refuses_wrong_and_reused_codes(agent_page: Page) -> None:
    page = agent_page
    spec = AGENTS[("demo", "administrator")]
    page.goto("/agents/")
    expect(page.get_by_role("heading", name="Connexion des agents")).to_be_visible()
    check_backoffice_page(page)
    page.get_by_label("Identifiant (adresse e-mail)").fill(spec.email)
    page.get_by_label("Mot de passe").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    field = page.get_by_label("Code de l'application d'authentification")
    good = totp_code(spec.secret)
    field.fill(f"{(int(good) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Code incorrect")).to_be_visible()
    check_backoffice_page(page)
    page.wait_for_timeout(1200)  # django-otp slows down after a failure
    page.get_by_label("Code de l'application d'authentification").fill(good)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Espace agents — Commune de Démo")).to_be_visible()
    check_backoffice_page(page)
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_label("Identifiant (adresse e-mail)").fill(spec.email)
    page.get_by_label("Mot de passe").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Code de l'application d'authentification").fill(good)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("déjà utilisé")).to_be_visible()


def test_create_a_household_send_its_invitation_and_the_family_activates(
    agent_page: Page, page: Page, smtp: Inbox
) -> None:
    sign_in(agent_page, role="regie")
    menu(agent_page, "Foyers")
    check_backoffice_page(agent_page)
    agent_page.get_by_role("link", name="Créer un foyer").click()
    check_backoffice_page(agent_page)
    agent_page.get_by_label("Nom du foyer").fill("LAMBERT")
    agent_page.get_by_label("Madame").check()
    agent_page.get_by_label("Nom", exact=True).fill("LAMBERT")
    agent_page.get_by_label("Prénom").fill("Inès")
    agent_page.get_by_label("Adresse e-mail").fill("ines.lambert@example.org")
    agent_page.get_by_role("button", name="Créer le foyer").click()
    expect(agent_page.get_by_role("status")).to_contain_text("Le foyer LAMBERT est créé")
    check_backoffice_page(agent_page)
    agent_page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(agent_page.get_by_role("status")).to_contain_text(
        "Lien d'activation envoyé à ines.lambert@example.org"
    )
    message = smtp.wait_for(lambda m: "ines.lambert@example.org" in m["To"])
    link = re.search(r"http://\S+/activation/\S+/", text_of(message))
    assert link, text_of(message)
    page.goto(link.group(0))
    page.get_by_label("Mot de passe", exact=True).fill("Cantine-du-Lundi-42")
    page.get_by_label("Confirmez votre mot de passe").fill("Cantine-du-Lundi-42")
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_label("Prénom")).to_have_value("Inès")
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("button", name="S'enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Votre compte espace famille a bien été créé"
    )
    agent_page.reload()
    expect(agent_page.get_by_text("La famille a activé son compte.")).to_be_visible()


def test_import_with_two_bad_lines_reports_both_and_imports_nothing(
    agent_page: Page, tmp_path: Path
) -> None:
    good = {
        "household_ref": "IMP-1",
        "household_name": "GARNIER",
        "guardian1_last_name": "GARNIER",
        "guardian1_first_name": "Luc",
        "guardian1_email": "luc.garnier@example.org",
        "child_last_name": "GARNIER",
        "child_first_name": "Nina",
        "child_birth_date": "05/05/2018",
    }
    rows = [
        good,
        {**good, "household_ref": "IMP-2", "child_birth_date": "32/01/2018"},
        {**good, "household_ref": "IMP-3", "guardian1_email": "sans-arobase"},
    ]
    csv_file = tmp_path / "foyers.csv"
    csv_file.write_text(
        "\n".join([";".join(COLUMNS), *(";".join(r.get(c, "") for c in COLUMNS) for r in rows)])
        + "\n",
        encoding="utf-8",
    )
    sign_in(agent_page, role="regie")
    menu(agent_page, "Foyers")
    agent_page.get_by_role("link", name="Importer un fichier CSV").click()
    check_backoffice_page(agent_page)
    agent_page.get_by_label("Fichier CSV (UTF-8, une ligne par enfant)").set_input_files(csv_file)
    agent_page.get_by_role("button", name="Importer").click()
    report = agent_page.get_by_role("alert")
    expect(report).to_contain_text("Import annulé, rien n'a été enregistré : 2 lignes en erreur")
    expect(report).to_contain_text("ligne 3 : date de naissance « 32/01/2018 » invalide")
    expect(report).to_contain_text("ligne 4 : adresse e-mail « sans-arobase »")
    check_backoffice_page(agent_page)
    with municipality_scope(Municipality.objects.get(slug="demo")):
        assert not Household.objects.filter(external_ref__startswith="IMP-").exists()


def test_a_booking_deadline_changed_in_plain_french_reaches_the_family_agenda(
    agent_page: Page, page: Page, login: Any
) -> None:
    paul, meal = _child("Paul"), _meal()
    (day,) = _week_with_bookable_days(paul, meal, 1)
    login(page)
    page.goto("/reservations/")
    _open_week(page, paul, day)
    expect(_cell(page, meal, day)).to_contain_text("Prestation réservable")

    days_before = (day - timezone.localdate()).days + 1  # the deadline is now past for ``day``
    sign_in(agent_page)
    menu(agent_page, "Configuration")
    check_backoffice_page(agent_page)
    agent_page.get_by_role("link", name="Services et prestations").click()
    check_backoffice_page(agent_page)
    agent_page.get_by_role("link", name="Modifier REPAS", exact=True).click()
    check_backoffice_page(agent_page)
    booking = agent_page.get_by_role("group", name="Délai de réservation")
    booking.get_by_label("un nombre de jours avant le jour réservé").check()
    booking.get_by_label("Nombre de jours", exact=True).fill(str(days_before))
    booking.get_by_label("Heure limite").fill("10:00")
    agent_page.get_by_role("button", name="Enregistrer").click()
    confirm = agent_page.get_by_role("button", name="Confirmer et enregistrer")
    if confirm.count():
        confirm.click()
    expect(agent_page.get_by_role("status")).to_contain_text("Les modifications sont enregistrées")
    expect(agent_page.get_by_role("row", name=re.compile("^REPAS jusqu"))).to_contain_text(
        f"jusqu'à {days_before} jours avant, 10h00"
    )

    page.reload()
    cell = _cell(page, meal, day)
    expect(cell).to_contain_text("Prestation non réservable")
    expect(cell).to_contain_text("délai dépassé")


def test_an_agent_of_the_neighbour_town_gets_404_on_a_demo_household(agent_page: Page) -> None:
    with municipality_scope(Municipality.objects.get(slug="demo")):
        dupont = Household.objects.get(external_ref="DEMO-001")
    sign_in(agent_page, town="voisine")
    response = agent_page.goto(f"/agents/foyers/{dupont.pk}/")
    assert response is not None and response.status == 404
    expect(agent_page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    check_backoffice_page(agent_page)


def test_a_facilitator_gets_403_on_the_configuration(agent_page: Page) -> None:
    sign_in(agent_page, role="facilitator")
    expect(agent_page.get_by_text("École du Centre")).to_be_visible()
    navigation = agent_page.get_by_role("navigation", name="Menu des agents")
    expect(navigation.get_by_role("link", name="Configuration")).to_have_count(0)
    for url in ("/agents/configuration/", "/agents/configuration/services/", "/agents/foyers/"):
        response = agent_page.goto(url)
        assert response is not None and response.status == 403, url
        expect(agent_page.get_by_role("heading", name="Accès refusé")).to_be_visible()
    check_backoffice_page(agent_page)


def test_every_administrator_page_is_accessible(agent_page: Page) -> None:
    sign_in(agent_page)
    with municipality_scope(Municipality.objects.get(slug="demo")):
        dupont = Household.objects.get(external_ref="DEMO-001")
    with municipality_scope(Municipality.objects.get(slug="demo")):
        paul = dupont.children.get(first_name="Paul")
        meal = Product.objects.get(name="REPAS")
        centre = Site.objects.get(name="École du Centre")
        facilitator = AgentRole.objects.get(role="facilitator")
    for url in (
        "/agents/configuration/sites/",
        "/agents/configuration/sites/ajouter/",
        f"/agents/configuration/sites/{centre.pk}/",
        f"/agents/reservations/jour/?product={meal.pk}&enfant=dupont",
        f"/agents/reservations/jour/?product={meal.pk}&enfant=personne",
        f"/agents/agents/{facilitator.pk}/",
        f"/agents/configuration/prestations/{meal.pk}/tarifs/",
        "/agents/reservations/demandes/",
        "/agents/reservations/jour/",
        f"/agents/reservations/jour/?product={meal.pk}",
        "/agents/reservations/semaine/",
        "/agents/repas/",
        f"/agents/foyers/{dupont.pk}/enfants/{paul.pk}/",
        f"/agents/foyers/{dupont.pk}/enfants/{paul.pk}/inscription/",
        "/agents/accueil/",
        "/agents/foyers/?q=dupont",
        f"/agents/foyers/{dupont.pk}/",
        f"/agents/foyers/{dupont.pk}/nom/",
        f"/agents/foyers/{dupont.pk}/responsables/ajouter/",
        f"/agents/foyers/{dupont.pk}/enfants/ajouter/",
        "/agents/foyers/inscrire-une-classe/",
        "/agents/configuration/commune/",
        "/agents/configuration/regimes/",
        "/agents/configuration/regimes/ajouter/",
        "/agents/configuration/services/ajouter/",
        "/agents/configuration/fermetures/",
        "/agents/configuration/fermetures/ajouter/",
        "/agents/configuration/fermetures/exceptionnelle/",
        "/agents/messages/",
        "/agents/messages/nouveau/",
        "/agents/agents/",
        "/agents/agents/ajouter/",
        "/agents/journal/",
        "/agents/facturation/",
        "/agents/facturation/factures/",
        "/agents/facturation/etat-encaissement/",
        "/agents/facturation/remboursements/",
        "/agents/tableau-de-bord/",
        "/agents/pointage/",
        "/agents/configuration/paiement/",
        "/agents/configuration/paiement/ajouter/",
        "/agents/configuration/paiement/annulations/",
        "/agents/configuration/api/",
        "/agents/configuration/api/cles/ajouter/",
        "/agents/configuration/api/evenements/ajouter/",
    ):
        agent_page.goto(url)
        check_backoffice_page(agent_page)


def test_an_administrator_makes_an_api_key_shown_once(agent_page: Page) -> None:
    page = agent_page
    sign_in(page)
    page.goto("/agents/configuration/")
    page.get_by_role("link", name="Accès API").click()
    page.get_by_role("link", name="Créer une clé").click()
    page.get_by_label("Nom de la clé").fill("Traiteur")
    page.get_by_label("Lire les effectifs de repas et leur prévision (kitchen:read)").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Clé API créée")).to_be_visible()
    expect(page.get_by_label("Secret")).to_have_value(re.compile(r"^ef_"))
    check_backoffice_page(page)
    page.get_by_role("link", name="Retour à l'accès API").click()
    expect(page.get_by_role("row", name=re.compile("Traiteur"))).to_be_visible()


def test_the_keyboard_alone(agent_page: Page) -> None:
    page = agent_page
    spec = AGENTS[("demo", "regie")]
    page.goto("/agents/")
    # The e-mail field has the focus (autofocus, given once the page is rendered: typing
    # sooner lost the first letter on a loaded machine).
    expect(page.get_by_label("Identifiant (adresse e-mail)")).to_be_focused()
    page.keyboard.type(spec.email)
    page.keyboard.press("Tab")
    page.keyboard.type(AGENT_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Code de vérification")).to_be_visible()
    expect(page.get_by_label("Code de l'application d'authentification")).to_be_focused()
    page.keyboard.type(totp_code(spec.secret))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Espace agents"))).to_be_visible()
    link = page.get_by_role("navigation", name="Menu des agents").get_by_role("link", name="Foyers")
    link.focus()
    page.keyboard.press("Enter")
    page.get_by_label(re.compile("Nom du foyer, d'un enfant")).focus()
    page.keyboard.type("dupont")
    page.keyboard.press("Enter")
    result = page.get_by_role("link", name="DUPONT", exact=True)
    result.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Foyer DUPONT")).to_be_visible()


def test_the_pages_issue_16_changed_are_accessible(agent_page: Page) -> None:
    """An invoiced day's counter and attendance sheet (with their warning), a payment
    provider's French options, the log and the approvals page (issue 16, items 4–7, 10–11),
    then the facilitator's home with its links."""
    from espacefamille.billing.models import InvoiceRun, RunState
    from espacefamille.bookings.models import Booking, BookingStatus

    sign_in(agent_page)
    with municipality_scope(Municipality.objects.get(slug="demo")):
        run = InvoiceRun.objects.filter(state=RunState.FINAL).order_by("-month").first()
        assert run is not None
        booking = (
            Booking.objects.filter(
                product__service_id=run.service_id,
                date__year=run.month.year,
                date__month=run.month.month,
                status=BookingStatus.VALIDATED,
            )
            .order_by("date")
            .first()
        )
        assert booking is not None
    day, product = booking.date.isoformat(), booking.product_id
    agent_page.goto(f"/agents/reservations/jour/?product={product}&day={day}")
    expect(agent_page.locator("#day-invoiced")).to_contain_text("avoir")
    check_backoffice_page(agent_page)
    agent_page.goto(f"/agents/pointage/{product}/{day}/")
    expect(agent_page.locator("#attendance-invoiced")).to_contain_text("avoir")
    check_backoffice_page(agent_page)
    for url in (
        "/agents/configuration/paiement/ajouter/?backend=systempayv2",
        "/agents/journal/",
        "/agents/reservations/demandes/",
        "/agents/tableau-de-bord/",
    ):
        agent_page.goto(url)
        check_backoffice_page(agent_page)
    agent_page.context.clear_cookies()
    sign_in(agent_page, role="facilitator")
    agent_page.goto("/agents/accueil/")
    expect(agent_page.get_by_role("link", name="Faire le pointage")).to_be_visible()
    check_backoffice_page(agent_page)
