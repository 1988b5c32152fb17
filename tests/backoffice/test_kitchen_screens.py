"""The kitchen counts screen and its downloads (CSV, XLSX, PDF) for the roles of the kitchen
area, the period's limit with a French message, the PAI names kept out of the logs; and the
week overview per service and site, in a fixed number of queries."""

from __future__ import annotations

import io
import logging
from datetime import date

import pytest
from openpyxl import load_workbook

from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.core.models import Municipality
from espacefamille.households.models import Child

from ..bookings.conftest import THU_12, Setup, frozen, setup  # noqa: F401
from ..kitchen.test_counts import _book, _child, canteen  # noqa: F401
from .helpers import make_agent, page_text

pytestmark = pytest.mark.django_db

PERIOD = f"start={THU_12.isoformat()}&end={THU_12.isoformat()}"


def test_regie_reads_the_counts_and_the_facilitator_is_refused(
    town: Municipality,
    setup: Setup,  # noqa: F811
    canteen: dict[str, Child],  # noqa: F811
) -> None:
    regie = make_agent(town, "regie")
    response = regie.client.get(f"/agents/repas/?{PERIOD}")
    assert response.status_code == 200
    text = page_text(response)
    assert "Commandes de repas" in text and "Jules Ferry" in text and "Pasteur" in text
    assert "Léa DUPONT (CM1)" in text  # the PAI child
    assert "Sans porc : 1" in text
    facilitator = make_agent(town, "facilitator", email="anim@example.org", sites=["Pasteur"])
    assert facilitator.client.get("/agents/repas/").status_code == 403
    assert facilitator.client.get(f"/agents/repas/telecharger/xlsx/?{PERIOD}").status_code == 403
    assert "Commandes de repas" not in page_text(facilitator.client.get("/agents/accueil/"))


def test_tomorrow_is_the_default_period(town: Municipality, setup: Setup) -> None:  # noqa: F811
    administrator = make_agent(town, "administrator")
    response = administrator.client.get("/agents/repas/")
    assert response.status_code == 200
    assert "mercredi 11/11/2026" in page_text(response)  # the frozen day is Tuesday 10/11


def test_xlsx_holds_the_meals_diets_and_pai_children(
    town: Municipality,
    setup: Setup,  # noqa: F811
    canteen: dict[str, Child],  # noqa: F811
) -> None:
    regie = make_agent(town, "regie")
    response = regie.client.get(f"/agents/repas/telecharger/xlsx/?{PERIOD}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    meals = list(workbook["Repas"].iter_rows(min_row=2, values_only=True))
    booked = {(site, product): count for _day, site, product, count, _req, _fc in meals}
    assert booked[("Jules Ferry", "REPAS")] == 2 and booked[("Pasteur", "PAI")] == 1
    assert (
        sum(booked.values())
        == Booking.objects.filter(
            date=THU_12, status__in=[BookingStatus.VALIDATED, BookingStatus.CANCEL_REQUESTED]
        ).count()
    )
    diets = list(workbook["Régimes"].iter_rows(min_row=2, values_only=True))
    assert [row[1:] for row in diets] == [
        ("Jules Ferry", "Sans porc", 1),
        ("Pasteur", "Sans porc", 1),
        ("Pasteur", "Végétarien", 1),
    ]
    care_plan = list(workbook["PAI"].iter_rows(min_row=2, values_only=True))
    assert [row[1:] for row in care_plan] == [("Pasteur", "Léa DUPONT", "CM1", "PAI")]


def test_csv_and_pdf_downloads(
    town: Municipality,
    setup: Setup,  # noqa: F811
    canteen: dict[str, Child],  # noqa: F811
) -> None:
    regie = make_agent(town, "regie")
    csv_response = regie.client.get(f"/agents/repas/telecharger/csv/?{PERIOD}")
    text = csv_response.content.decode("utf-8-sig")
    assert "Repas;2026-11-12;Jules Ferry;REPAS;2;1;2" in text
    assert "PAI;2026-11-12;Pasteur;Léa DUPONT (CM1) — PAI" in text
    pdf = regie.client.get(f"/agents/repas/telecharger/pdf/?{PERIOD}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"/Lang (fr-FR)" in pdf.content and b"Commande de repas" in pdf.content
    assert regie.client.get(f"/agents/repas/telecharger/doc/?{PERIOD}").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-12-01&end=2027-01-15", "La période ne peut pas dépasser 31 jours."),
        ("start=2026-12-02&end=2026-12-01", "La date de fin doit être le même jour"),
        ("start=demain&end=2026-12-01", "Saisissez une date valide au format JJ/MM/AAAA."),
        ("start=2026-12-01&end=2026-12-01&service=999999", "Sélectionnez un choix valide"),
    ],
)
def test_a_bad_period_gets_a_french_message(
    town: Municipality,
    setup: Setup,  # noqa: F811
    query: str,
    message: str,
) -> None:
    regie = make_agent(town, "regie")
    for url in ("/agents/repas/", "/agents/repas/telecharger/xlsx/"):
        response = regie.client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert message in page_text(response)


def test_pai_names_never_reach_the_logs(
    town: Municipality,
    setup: Setup,  # noqa: F811
    canteen: dict[str, Child],  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    regie = make_agent(town, "regie")
    with caplog.at_level(logging.DEBUG):
        for url in ("/agents/repas/", *(f"/agents/repas/telecharger/{f}/" for f in ("csv", "pdf"))):
            regie.client.get(f"{url}?{PERIOD}")
    assert "Léa" not in caplog.text


def test_week_overview_per_site_with_links_to_the_day(
    town: Municipality,
    setup: Setup,  # noqa: F811
    canteen: dict[str, Child],  # noqa: F811
) -> None:
    regie = make_agent(town, "regie")
    base = f"/agents/reservations/semaine/?service={setup.restaurant.pk}&day=2026-11-12"
    text = page_text(regie.client.get(base)).replace("<strong>", "").replace("</strong>", "")
    repas = setup.p("REPAS")
    # The ledger counts Paul, Julie and Tom's request (active bookings) against 120 places.
    assert "3 / 120" in text
    assert f"product={repas.pk}&amp;day=2026-11-12" in text.replace("&", "&amp;").replace(
        "&amp;amp;", "&amp;"
    )
    pasteur = page_text(regie.client.get(base + "&site=Pasteur"))
    assert "0 / 120" in pasteur and "3 / 120" not in pasteur
    assert "fermé" in text  # REPAS is closed on Wednesdays
    facilitator = make_agent(town, "facilitator", email="anim@example.org")
    assert facilitator.client.get(base).status_code == 403


def test_week_overview_takes_a_fixed_number_of_queries(
    town: Municipality,
    setup: Setup,  # noqa: F811
    django_assert_max_num_queries: object,
) -> None:
    regie = make_agent(town, "regie")
    url = f"/agents/reservations/semaine/?service={setup.restaurant.pk}&day=2026-11-16&site=A"
    _book(setup, _child(setup, "Enfant", "A"), "REPAS", date(2026, 11, 16), "validated")
    assert "1 / 120" in page_text(regie.client.get(url))
    with django_assert_max_num_queries(14) as few:  # type: ignore[operator]
        regie.client.get(url)
    for index in range(5):
        child = _child(setup, f"Enfant{index}", "A")
        for day in (date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 19)):
            _book(setup, child, "REPAS", day, BookingStatus.VALIDATED)
    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
        page = regie.client.get(url)
    assert "6 / 120" in page_text(page)
