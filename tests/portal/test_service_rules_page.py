""" "Règlement et tarifs": seed 002's table per service, generated from the rules the server
enforces (a changed rule changes the page), for every service of the current town only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from espacefamille.catalog.models import Product, Service
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import Setup
from ..factories import MunicipalityFactory
from .booking_helpers import AGENDA, page_text, params

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup

HEADERS = [
    "Délai de réservation",
    "Délai de dé-réservation",
    "Prix à l'unité",
    "Prix si non prévu",
    "Prix si absence injustifiée",
    "Jours de carence",
    "Paiement",
    "Nbre Max de place",
    "Jours d'ouverture",
    "Forfait",
]


def _row(html: str, product: str) -> list[str]:
    """The texts of a product's row, without the phone layout's repeated column names."""
    header = f'<th scope="row" role="rowheader">{product}</th>'
    start = html.index(header) + len(header)
    row = html[start : html.index("</tr>", start)]
    row = re.sub(r'<span class="stack-label"[^>]*>.*?</span>', "", row)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in row.split("</td>")[:-1]]


def test_the_restaurant_rules_in_the_seed_words(setup: Setup) -> None:
    url = reverse("portal:service_rules", args=[setup.restaurant.pk])
    html = page_text(setup.family.client.get(url))
    for header in HEADERS:
        assert f'role="columnheader">{header}</th>' in html, header
    assert "Règlement et tarifs — Restaurant scolaire (postfacturation)" in html
    assert _row(html, "REPAS") == [
        "Jusqu'à 2 jours avant, 10h00",
        "Jusqu'à 2 jours avant, 10h00",
        "3,50\u00a0€",
        "5,00\u00a0€",
        "3,50\u00a0€",
        "1",
        "payé sur facture",
        "120",
        "lundi, mardi, jeudi, vendredi — en période scolaire",
        "Non",
    ]
    assert _row(html, "PAI")[7] == "sans limite"
    assert "Un repas pris sans réservation est facturé au tarif « non prévu »" in html  # rules_text


def test_prepaid_and_flat_rate_services(setup: Setup) -> None:
    client = setup.family.client
    wednesday = page_text(client.get(reverse("portal:service_rules", args=[setup.wednesday.pk])))
    row = _row(wednesday, "MERCREDI JOURNEE")
    assert row[0] == "Jusqu'à 7 jours avant, 12h00" and row[2] == "12,00\u00a0€"
    assert row[6] == "payé à la réservation" and row[7] == "24"
    daycare = page_text(client.get(reverse("portal:service_rules", args=[setup.daycare.pk])))
    flat = _row(daycare, "FORFAIT GARDERIE DU SOIR")
    assert flat[2] == "30,00\u00a0€" and flat[9] == "Mois"
    assert _row(daycare, "GARDERIE AVANT REPAS")[4] == "—"  # no price set: nothing invented


def test_the_page_follows_the_configured_rules(setup: Setup) -> None:
    with municipality_scope(setup.paul.municipality):
        Product.objects.filter(pk=setup.p("REPAS").pk).update(booking_deadline="prevweek:3@12:00")
        Product.objects.filter(pk=setup.p("PAI").pk).update(is_active=False)
    url = reverse("portal:service_rules", args=[setup.restaurant.pk])
    html = page_text(setup.family.client.get(url))
    assert _row(html, "REPAS")[0] == "Jusqu'au jeudi de la semaine précédente, 12h00"
    assert ">PAI</th>" not in html  # no longer offered to families


def test_reachable_from_mes_reservations_for_every_service_of_the_town(setup: Setup) -> None:
    client = setup.family.client
    agenda = page_text(client.get(AGENDA, params(setup)))
    assert f'href="{reverse("portal:service_rules", args=[setup.restaurant.pk])}"' in agenda
    assert "Règlement et tarifs" in agenda
    response = client.get(reverse("portal:service_rules_first"))
    assert response.status_code == 302
    with municipality_scope(setup.paul.municipality):
        unenrolled = Service.objects.create(
            municipality=setup.paul.municipality, name="Accueil de loisirs", position=9
        )
    page = page_text(client.get(response["Location"]))
    assert f'href="{reverse("portal:service_rules", args=[unenrolled.pk])}"' in page
    assert client.get(reverse("portal:service_rules", args=[unenrolled.pk])).status_code == 200


def test_another_towns_service_is_a_404(setup: Setup) -> None:
    elsewhere = MunicipalityFactory(name="Ailleurs", slug="ailleurs")
    with municipality_scope(elsewhere):
        far = load_catalog(elsewhere)[0]
    client = setup.family.client
    assert client.get(reverse("portal:service_rules", args=[far.pk])).status_code == 404
    assert client.get("/reservations/reglement/99999999999999999999/").status_code == 404
