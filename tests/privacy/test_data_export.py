""" "Mes données": the DUPONT household of "Commune de Démo" downloads a ZIP holding every item
of its file (guardians, children, consents with wording and dates, pickups, contacts, bookings,
attendance, invoices and payments, requests and their files) and nothing of another household,
nor of the DUPONT file of "Commune Voisine" (one export per town's household file)."""

from __future__ import annotations

import io
import json
import zipfile

from django.test import Client
from django.urls import reverse

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.tenancy import municipality_scope

from ..conftest import Family
from ..households.conftest import (
    CARE_PLAN_TEXT,
    DIET,
    OTHER_HOUSEHOLD_MARK,
    OTHER_TOWN_MARK,
    DemoFamily,
)

EVERY_ITEM = [
    "foyer",
    "responsables",
    "enfants",
    "consentements",
    "personnes_autorisees",
    "contacts_urgence",
    "reservations",
    "presences",
    "factures",
    "lignes_de_factures",
    "reglements",
    "mandats_prelevement",
    "demandes",
    "messages_des_demandes",
    "pieces_jointes",
]


def _download(demo_family: DemoFamily) -> zipfile.ZipFile:
    response = demo_family.client.post(reverse("portal:my_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_page_offers_the_download(family: Family) -> None:
    page = family.client.get(reverse("portal:my_data")).content.decode()
    assert "Télécharger mes données (ZIP)" in page
    assert 'aria-current="page">Mes données' in page


def test_the_export_holds_every_item_and_nothing_of_another_household(
    demo_family: DemoFamily,
) -> None:
    """One demo load (slow) for the three checks: every item, nothing foreign, logged."""
    archive = _download(demo_family)
    _holds_every_item(archive)
    _holds_nothing_foreign(archive)
    with municipality_scope(demo_family.town):
        entry = ActionLogEntry.objects.filter(action="household.data_export").get()
    assert entry.object_id == demo_family.household.pk


def _holds_every_item(archive: zipfile.ZipFile) -> None:
    data = json.loads(archive.read("donnees.json"))
    empty = [key for key in EVERY_ITEM if not data[key]]
    assert empty == []
    assert {guardian["prenom"] for guardian in data["responsables"]} == {"François"}
    assert {child["prenom"] for child in data["enfants"]} == {"Paul", "Julie"}
    paul = next(child for child in data["enfants"] if child["prenom"] == "Paul")
    assert paul["pai"] is True and paul["regimes_alimentaires"] == DIET
    assert paul["date_de_naissance"] == "2018-01-01"
    consent = data["consentements"][0]
    assert consent["texte_presente"].startswith("J'autorise la commune")
    assert consent["enregistre_le"][:4].isdigit()
    assert [person["prenom"] for person in data["personnes_autorisees"]] == ["Pierre"]
    assert [person["prenom"] for person in data["contacts_urgence"]] == ["Marie"]
    assert all(isinstance(invoice["montant"], str) for invoice in data["factures"])
    (mandate,) = data["mandats_prelevement"]  # the family's own IBAN, in full
    assert mandate["iban"] == "FR7630006000011234567890189" and mandate["texte_du_mandat"]
    assert data["demandes"][0]["demande"] == CARE_PLAN_TEXT
    (attachment,) = data["pieces_jointes"]
    assert archive.read(attachment["fichier_dans_l_archive"]).startswith(b"%PDF")
    summary = archive.read("donnees.html").decode()
    assert '<html lang="fr">' in summary and "<title>Mes données" in summary
    assert "Pierre" in summary and CARE_PLAN_TEXT.replace("'", "&#x27;") in summary


def _holds_nothing_foreign(archive: zipfile.ZipFile) -> None:
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("latin-1")
    for foreign in [
        "Zébulon",
        "Barnabé",
        "FAMILLE X",
        "Sophie",
        "TESTMP",
        "Commune Voisine",
        "Centre de loisirs de Voisine",
        "certificat-autre",
    ]:
        assert foreign.encode().decode("latin-1") not in everything, foreign
    assert OTHER_HOUSEHOLD_MARK not in archive.read("donnees.json").decode()
    assert OTHER_TOWN_MARK not in archive.read("donnees.html").decode()
    files = [name for name in archive.namelist() if name.startswith("pieces-jointes/")]
    (row,) = json.loads(archive.read("donnees.json"))["pieces_jointes"]
    assert files == [row["fichier_dans_l_archive"]] and files[0].endswith(".pdf")
    assert row["nom_du_fichier"] == "certificat-paul.pdf"  # a label, never the path


def test_a_visitor_must_sign_in(client: Client, db: None) -> None:
    response = client.post(reverse("portal:my_data"))
    assert response.status_code == 302 and "connexion" in response["Location"]
