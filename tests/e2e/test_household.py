""" "Gestion du foyer" in Chromium (seed 004 §D): a child's diet and image consent, authorized
pickup persons, a guardian's details; another household's ids answer 404."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from espacefamille.core.models import Municipality, PickupRule
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child, ImageConsent

pytestmark = pytest.mark.django_db(transaction=True)

PRINT = "Photos et vidéos dans les supports de la commune"


def open_household(page: Page, tab: str) -> None:
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Gestion du foyer"
    ).click()
    page.get_by_role("navigation", name="Rubriques du dossier famille").get_by_role(
        "link", name=tab
    ).click()


def test_child_diet_and_image_consent(page: Page, login: Any, assert_accessible: Any) -> None:
    login(page)
    open_household(page, "Compte famille")
    expect(page.get_by_label("Nom de la famille")).to_have_value("DUPONT")
    assert_accessible(page)
    open_household(page, "Enfants")
    expect(page.get_by_role("heading", name="2 enfants")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Modifier Paul DUPONT").click()
    expect(page.get_by_text("École du Centre")).to_be_visible()  # read-only, set by the town
    assert_accessible(page)
    page.get_by_label("Sans porc").check()
    page.get_by_label(PRINT).check()
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("status")).to_contain_text("Vos modifications sont enregistrées")
    paul = page.get_by_role("region", name="Paul DUPONT")
    expect(paul).to_contain_text("Sans porc")
    expect(paul).to_contain_text(f"{PRINT} : autorisé")

    page.get_by_role("link", name="Modifier Paul DUPONT").click()
    expect(page.get_by_label("Sans porc")).to_be_checked()
    page.get_by_label(PRINT).uncheck()  # withdrawing is as easy as giving
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("region", name="Paul DUPONT")).to_contain_text(
        f"{PRINT} : non autorisé"
    )
    with municipality_scope(Municipality.objects.get(slug="demo")):
        answers = list(
            ImageConsent.objects.filter(child__first_name="Paul")
            .order_by("pk")
            .values_list("granted", "recorded_by__email")
        )
    assert answers == [
        (True, "francois.dupont@example.org"),
        (False, "francois.dupont@example.org"),
    ]


def test_pickups_by_request_link_to_the_request(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    """The demo town takes authorised pickups by request with an identity document."""
    login(page)
    open_household(page, "Compléments")
    pickups = page.get_by_role("region", name="Personnes autorisées à venir chercher l'enfant")
    expect(pickups).to_contain_text("DUPONT Pierre — 06 06 06 06 06 (Grand-père)")
    expect(pickups.get_by_role("link", name=re.compile("Ajouter|Supprimer"))).to_have_count(0)
    assert_accessible(page)
    pickups.get_by_role("link", name=re.compile("faire la demande")).click()
    expect(page.get_by_label("Votre demande")).to_have_value(re.compile("Je souhaiterais"))


def test_add_and_remove_an_authorized_pickup(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    Municipality.objects.filter(slug="demo").update(pickup_rule=PickupRule.FREE)
    login(page)
    open_household(page, "Compléments")
    expect(page.get_by_text("DUPONT Pierre — 06 06 06 06 06 (Grand-père)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Ajouter.*autorisées")).click()
    assert_accessible(page)
    page.get_by_label("Nom", exact=True).fill("MARTIN")
    page.get_by_label("Prénom").fill("Luc")
    page.get_by_label("Téléphone").fill("12")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Saisissez un numéro de téléphone valide")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Valider").click()
    entry = page.get_by_text("MARTIN Luc — 06 12 34 56 78")
    expect(entry).to_be_visible()

    page.get_by_role("link", name="Supprimer MARTIN Luc").click()
    expect(page.get_by_text("Retirer MARTIN Luc de la liste ?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Supprimer").click()
    expect(page.get_by_role("status")).to_contain_text("MARTIN Luc a été retiré(e)")
    expect(entry).to_have_count(0)


def test_edit_a_guardian(page: Page, login: Any, assert_accessible: Any) -> None:
    login(page)
    open_household(page, "Responsables")
    assert_accessible(page)
    page.get_by_role("link", name="Modifier François DUPONT").click()
    assert_accessible(page)
    mobile = page.get_by_label("Téléphone mobile", exact=True)
    mobile.fill("abc")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("alert")).to_contain_text("erreurs")
    expect(page.get_by_text("Saisissez un numéro de téléphone valide")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Téléphone mobile", exact=True).fill("07 81 22 33 44")
    page.get_by_role("button", name="Valider").click()
    guardian_card = page.get_by_role("region", name=re.compile("François DUPONT"))
    expect(guardian_card).to_contain_text("07 81 22 33 44")


def test_another_households_child_is_not_found(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    with municipality_scope(Municipality.objects.get(slug="demo")):
        lea = Child.objects.get(first_name="Léa")
    login(page)
    response = page.goto(f"/foyer/enfants/{lea.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    assert_accessible(page)
