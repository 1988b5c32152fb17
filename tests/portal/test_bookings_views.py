""" "Mes réservations" and its cart panel through the test client (NOW = Tuesday 10/11/2026,
09:00 in Paris); every page of the issue answers, nothing answers 500, and the week view costs
a bounded number of queries."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import (
    Booking,
    BookingStatus,
    CartAction,
    WaitingListEntry,
)
from espacefamille.catalog.models import Closure, Product
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import enroll_all, load_catalog
from espacefamille.payments.cancellations import cart_validate

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import FRI_13, MON_09, MON_16, THU_12, Setup
from ..conftest import make_family
from ..factories import ChildFactory, MunicipalityFactory
from .booking_helpers import (
    AGENDA,
    HTMX,
    PERIOD,
    PERIOD_CHILDREN,
    TOGGLE,
    cart_lines,
    click,
    page_text,
    params,
    period_dates,
)

pytestmark = pytest.mark.django_db

# The bookings tests' town, family (Paul and Julie, enrolled everywhere) and frozen "now".
frozen = booking_fixtures.frozen
setup = booking_fixtures.setup


def test_week_view_renders_with_the_seed_words(setup: Setup) -> None:
    response = setup.family.client.get(AGENDA, params(setup))
    assert response.status_code == 200
    html = page_text(response)
    for words in [
        "Sélectionnez le service / le site",
        "Restaurant scolaire - postfacturation",
        "Paul DUPONT",
        "Julie",
        "Semaine 46 — 09/11/2026 au 13/11/2026",
        "Lun. 09 nov. 2026",
        "Précédent",
        "Aujourd'hui",
        "Suivant",
        "Réserver pour une période",
        "Mes inscriptions",
        "Légende",
        "Prestation réservable",
        "Jour de carence",
        "Aucune nouvelle réservation ou annulation",
        "REPAS VEGETARIEN",
    ]:
        assert words in html, words
    # Thursday 12 is bookable, Monday 9 is past its deadline, no meals on Wednesdays.
    repas = setup.p("REPAS").pk
    assert f'value="{repas}:2026-11-12"' in html
    assert f'value="{repas}:2026-11-09"' not in html
    assert "délai dépassé" in html and "Pas de service ce jour-là" in html
    daycare = page_text(setup.family.client.get(AGENDA, params(setup, service=setup.daycare.pk)))
    assert "Jour férié : Armistice" in daycare  # GARDERIE AVANT REPAS opens on Wednesdays
    assert 'name="htmx-config"' in html and "htmx-2.min.js" in html


def test_every_page_renders(setup: Setup) -> None:
    client = setup.family.client
    urls = [
        AGENDA,
        f"{AGENDA}?service={setup.daycare.pk}&semaines=3",
        f"{AGENDA}?service={setup.wednesday.pk}&enfant={setup.julie.pk}&semaine=2026-11-18",
        PERIOD,
        reverse("portal:enrollments"),
        reverse("portal:cart_clear"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Mes réservations" in page_text(response), url
    # Step 2 without step 1 goes back to step 1.
    response = client.get(PERIOD_CHILDREN)
    assert response.status_code == 302 and response["Location"] == PERIOD


@pytest.mark.parametrize(
    "query",
    [
        "semaine=2026-13-45",
        "semaine=9999-12-31",
        "semaine=0001-01-01",
        "semaine=%00",
        "semaines=999",
        "semaines=-3",
        "semaines=abc",
    ],
)
def test_bad_week_parameters_fall_back(setup: Setup, query: str) -> None:
    response = setup.family.client.get(f"{AGENDA}?{query}")
    assert response.status_code == 200
    assert "Semaine" in page_text(response)


def test_click_adds_then_takes_back_without_javascript(setup: Setup) -> None:
    response = click(setup, "REPAS", THU_12)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{AGENDA}?service={setup.restaurant.pk}")
    assert "semaine=2026-11-09" in response["Location"]
    assert cart_lines(setup) == [("Paul", "REPAS", THU_12, CartAction.ADD)]
    page = page_text(setup.family.client.get(response["Location"]))
    assert "Ajouté au panier : REPAS, jeu. 12 nov. 2026 (Paul)." in page
    assert "1 REPAS" in page and "Vos réservations en cours" in page
    assert "Demande de réservation" in page
    click(setup, "REPAS", THU_12)
    assert cart_lines(setup) == []


def test_click_with_htmx_swaps_the_cell_and_the_cart(setup: Setup) -> None:
    response = click(setup, "REPAS", THU_12, **HTMX)
    assert response.status_code == 200
    html = page_text(response)
    cell_id = f'id="cell-{setup.p("REPAS").pk}-20261112"'
    assert cell_id in html and 'hx-swap-oob="true"' in html
    assert "cell cell-cart_add" in html and "Demande de réservation" in html
    # Only the clicked cell, and the same day's REPAS VEGETARIEN and PAI (incompatible with
    # REPAS), which now read "Réservable à la place de REPAS".
    assert html.count("<td ") == 3
    assert html.count("cell cell-swap") == 2 and "Réservable à la place de REPAS" in html
    assert 'id="panier-resume"' in html  # the summary bar follows the cart
    assert "<template>" in html  # a table cell travels out of band inside a template
    assert 'id="panier"' in html and "1 REPAS" in html
    assert "Ajouté au panier" in html
    assert cart_lines(setup) == [("Paul", "REPAS", THU_12, CartAction.ADD)]
    # No message is left for the next full page.
    assert "Ajouté au panier" not in page_text(setup.family.client.get(AGENDA, params(setup)))
    html = page_text(click(setup, "REPAS", THU_12, **HTMX))
    assert "Retiré du panier" in html and "Aucune nouvelle réservation ou annulation" in html
    assert cart_lines(setup) == []


def test_refusals_are_shown(setup: Setup) -> None:
    response = setup.family.client.post(
        TOGGLE, params(setup, cellule=f"{setup.p('REPAS').pk}:{MON_09}"), follow=True
    )
    assert "Le délai de réservation est dépassé" in page_text(response)
    with municipality_scope(setup.paul.municipality):
        cart_toggle(
            household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=FRI_13
        )
        assert cart_validate(household=setup.family.household, user=setup.family.user).ok
    html = page_text(click(setup, "REPAS VEGETARIEN", FRI_13, **HTMX))
    assert "message-error" in html and "Incompatible avec REPAS" in html
    assert cart_lines(setup) == []


def test_validated_cell_adds_a_cancellation(setup: Setup) -> None:
    with municipality_scope(setup.paul.municipality):
        cart_toggle(
            household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=MON_16
        )
        cart_validate(household=setup.family.household, user=setup.family.user)
    week = params(setup, semaine="2026-11-16")
    assert "Réservation validée" in page_text(setup.family.client.get(AGENDA, week))
    html = page_text(click(setup, "REPAS", MON_16, **HTMX))
    assert "Demande d'annulation ajoutée au panier" in html
    assert "Vos annulations en cours" in html
    assert cart_lines(setup) == [("Paul", "REPAS", MON_16, CartAction.CANCEL)]


def test_cart_panel_amounts(setup: Setup) -> None:
    click(setup, "REPAS", THU_12)
    click(setup, "REPAS", FRI_13)
    page = page_text(setup.family.client.get(AGENDA, params(setup)))
    assert "Estimation :" in page and "7,00" in page
    assert "Paiement à la réception de la facture" in page and "Total à payer" not in page
    wednesday = date(2026, 11, 18)  # MERCREDI JOURNEE, up to 7 days before at 12:00
    data = {
        "service": setup.wednesday.pk,
        "enfant": setup.julie.pk,
        "semaine": "2026-11-16",
        "cellule": f"{setup.p('MERCREDI JOURNEE').pk}:{wednesday}",
    }
    setup.family.client.post(TOGGLE, data)
    page = page_text(setup.family.client.get(AGENDA, params(setup)))
    assert "Total à payer :" in page and "12,00\u00a0€" in page
    assert "2 REPAS" in page and "1 MERCREDI JOURNEE" in page
    assert "jeu. 12 nov." in page and "ven. 13 nov." in page


def test_validate_success_and_refusal(setup: Setup) -> None:
    validate = reverse("portal:cart_validate")
    click(setup, "REPAS", THU_12)
    click(setup, "REPAS", FRI_13)
    with municipality_scope(setup.paul.municipality):
        Closure.objects.create(
            municipality=setup.paul.municipality, start_date=FRI_13, end_date=FRI_13, reason="Grève"
        )
    response = setup.family.client.post(validate, params(setup))
    assert response.status_code == 303
    html = page_text(setup.family.client.get(response["Location"]))
    assert "Le panier n'a pas été validé" in html and "Grève" in html
    assert "Retirer les lignes refusées" in html
    with municipality_scope(setup.paul.municipality):
        assert not Booking.objects.exists()
    response = setup.family.client.post(reverse("portal:cart_remove_failed"), params(setup))
    assert response.status_code == 302
    assert cart_lines(setup) == [("Paul", "REPAS", THU_12, CartAction.ADD)]
    response = setup.family.client.post(validate)
    assert response.status_code == 302 and response["Location"] == AGENDA
    page = page_text(setup.family.client.get(AGENDA, params(setup)))
    assert "Réservations et annulations validées" in page
    assert "Réservation validée" in page
    with municipality_scope(setup.paul.municipality):
        assert Booking.objects.get().status == BookingStatus.VALIDATED


def test_validate_reads_the_cart_lines_once(setup: Setup) -> None:
    """Issue 17: "Valider" reads the cart's lines once: the prepaid branch, what cancelling
    gives back and the booking service's validation all use that read (it was two: the
    prepaid lines, then the service's own); the whole cart summary, sorted and grouped for
    display, is not read at all."""
    click(setup, "REPAS", THU_12)
    click(setup, "REPAS", FRI_13)
    with CaptureQueriesContext(connection) as queries:
        response = setup.family.client.post(reverse("portal:cart_validate"), params(setup))
    assert response.status_code == 302
    reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "bookings_cartline"."id"')
    ]
    assert len(reads) == 1
    assert all("ORDER BY" not in sql for sql in reads)
    with municipality_scope(setup.paul.municipality):
        assert Booking.objects.count() == 2


def test_clear_the_cart_after_confirmation(setup: Setup) -> None:
    click(setup, "REPAS", THU_12)
    click(setup, "REPAS", THU_12, child=setup.julie)
    url = reverse("portal:cart_clear")
    page = page_text(setup.family.client.get(url, params(setup)))
    assert "Voulez-vous vraiment retirer les 2 lignes du panier ?" in page
    assert len(cart_lines(setup)) == 2  # nothing done on GET
    response = setup.family.client.post(url, params(setup), follow=True)
    assert "Le panier a été vidé." in page_text(response)
    assert cart_lines(setup) == []


def test_waiting_list_on_a_full_day(setup: Setup) -> None:
    repas = setup.p("REPAS")
    with municipality_scope(setup.paul.municipality):
        repas.capacity = 1
        repas.save()
        other = make_family(setup.paul.municipality, email="voisin@example.org")
        lea = ChildFactory(household=other.household, first_name="Léa")
        enroll_all([lea], [setup.restaurant])
        cart_toggle(household=other.household, child=lea, product=repas, day=THU_12)
        assert cart_validate(household=other.household, user=other.user).ok
    page = page_text(setup.family.client.get(AGENDA, params(setup)))
    assert "complet" in page and "Liste d'attente" in page
    data = params(setup, attente=f"{repas.pk}:{THU_12}")
    html = page_text(setup.family.client.post(reverse("portal:waiting_list"), data, **HTMX))
    assert "Inscription sur la liste d'attente" in html
    assert f'id="wl-{repas.pk}-20261112" tabindex="-1"' in html  # focus lands on the new cell
    assert "cell cell-waiting_list" in html
    with municipality_scope(setup.paul.municipality):
        assert WaitingListEntry.objects.filter(child=setup.paul, date=THU_12).exists()
    # A day that is not full has no waiting list.
    data = params(setup, attente=f"{repas.pk}:{FRI_13}")
    page = page_text(setup.family.client.post(reverse("portal:waiting_list"), data, follow=True))
    assert "Il reste de la place" in page


def test_foreign_ids_answer_404(setup: Setup) -> None:
    town = setup.paul.municipality
    with municipality_scope(town):
        other = make_family(town, email="autre@example.org")
        stranger = ChildFactory(household=other.household, first_name="Zoé")
        enroll_all([stranger], [setup.restaurant])
    elsewhere = MunicipalityFactory(name="Ailleurs", slug="ailleurs")
    with municipality_scope(elsewhere):
        far_service = load_catalog(elsewhere)[0]
        far_product = Product.objects.filter(service=far_service).first()
    assert far_product is not None
    client = setup.family.client
    repas = setup.p("REPAS").pk
    gets = [
        f"{AGENDA}?service={setup.restaurant.pk}&enfant={stranger.pk}",
        f"{AGENDA}?service={far_service.pk}",
        f"{AGENDA}?service=abc",
        f"{AGENDA}?enfant=999999",
        f"{PERIOD}?service={far_service.pk}",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (TOGGLE, params(setup, stranger, cellule=f"{repas}:{THU_12}")),
        (TOGGLE, params(setup, service=far_service.pk, cellule=f"{repas}:{THU_12}")),
        (TOGGLE, params(setup, cellule=f"{far_product.pk}:{THU_12}")),
        (TOGGLE, params(setup, cellule="n'importe quoi")),
        (TOGGLE, params(setup, cellule=f"{repas}:9999-12-31")),
        (TOGGLE, params(setup, cellule=f"{setup.p('GARDERIE AVANT REPAS').pk}:{THU_12}")),
        (reverse("portal:waiting_list"), params(setup, stranger, attente=f"{repas}:{THU_12}")),
        (reverse("portal:calendar_feed_new", args=[stranger.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, (url, data)
        assert client.post(url, data, **HTMX).status_code == 404, (url, data)
    assert cart_lines(setup) == []


def test_menu_lists_mes_reservations(setup: Setup) -> None:
    page = page_text(setup.family.client.get(reverse("portal:home")))
    assert f'href="{AGENDA}"' in page and "Mes réservations" in page


def _agenda_queries(client: Client, url: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


QUERY_BUDGET = 10  # issue 10: at most 10 SQL queries per week view
# The first view of a town's calendar (after a restart or a change of its closures or
# holidays) reads it too: its school holidays and its closures, then it is kept per version.
CALENDAR_READS = ("catalog_schoolholiday", "catalog_closure")
COLD_BUDGET = QUERY_BUDGET + len(CALENDAR_READS)


def _tables(queries: list[str]) -> list[str]:
    """The table each query reads first."""
    return [found.group(1) for sql in queries if (found := re.search(r'FROM "(\w+)"', sql))]


def test_agenda_queries_do_not_grow(setup: Setup, django_assert_max_num_queries: Any) -> None:
    town = setup.paul.municipality
    with municipality_scope(town):
        single = make_family(town, email="seul@example.org")
        only = ChildFactory(household=single.household, first_name="Seul")
        enroll_all([only], [setup.restaurant])
    small_url = f"{AGENDA}?service={setup.restaurant.pk}&enfant={only.pk}&semaine=2026-11-09"
    cold = _agenda_queries(single.client, small_url)  # the calendar not read yet
    assert len(cold) <= COLD_BUDGET, cold
    warm = _agenda_queries(single.client, small_url)
    assert len(warm) <= QUERY_BUDGET, warm
    # What the cold request reads more is the calendar, nothing else.
    extra = list(_tables(cold))
    for table in _tables(warm):
        extra.remove(table)
    assert set(extra) <= set(CALENDAR_READS), extra
    small = len(cold)

    # 2 children × 7 products, 5 weeks, with cart lines, bookings and attendance to show.
    with municipality_scope(town):
        for i in range(4):
            Product.objects.create(
                municipality=town,
                service=setup.restaurant,
                name=f"ATELIER {i}",
                weekdays="01234",
                unit_price=Decimal("2.00"),
                capacity=10,
            )
        for day in (THU_12, FRI_13, MON_16):
            cart_toggle(
                household=setup.family.household,
                child=setup.paul,
                product=setup.p("REPAS"),
                day=day,
            )
        cart_validate(household=setup.family.household, user=setup.family.user)
        for day in (date(2026, 11, 19), date(2026, 11, 20)):
            cart_toggle(
                household=setup.family.household,
                child=setup.paul,
                product=setup.p("REPAS"),
                day=day,
            )
            cart_toggle(
                household=setup.family.household, child=setup.julie, product=setup.p("PAI"), day=day
            )
        assert Product.objects.filter(service=setup.restaurant).count() == 7
    big_url = (
        f"{AGENDA}?service={setup.restaurant.pk}&enfant={setup.paul.pk}"
        "&semaine=2026-11-09&semaines=5"
    )
    big = len(_agenda_queries(setup.family.client, big_url))
    assert big <= COLD_BUDGET, big
    with django_assert_max_num_queries(QUERY_BUDGET):
        setup.family.client.get(big_url)
    # 2 children × 7 products × 5 weeks read no more than 1 child × 3 products × 1 week.
    assert big <= small, (small, big)


ODD_VALUES = ["", "abc", "-1", "0", "99999999999999999999999", "1e3", "٣", "²", "%00", "x" * 5000]


def test_no_page_answers_500_for_odd_input(setup: Setup) -> None:
    client = setup.family.client
    client.raise_request_exception = False
    repas = setup.p("REPAS").pk
    for value in ODD_VALUES:
        gets = [
            (AGENDA, {"service": value}),
            (AGENDA, {"enfant": value}),
            (AGENDA, {"semaine": value, "semaines": value}),
            (PERIOD, {"service": value}),
            (reverse("portal:cart_clear"), {"service": value, "semaine": value}),
        ]
        for url, data in gets:
            assert client.get(url, data).status_code < 500, (url, data)
        posts = [
            (TOGGLE, params(setup, cellule=value)),
            (TOGGLE, params(setup, cellule=f"{repas}:{value}")),
            (TOGGLE, params(setup, cellule=f"{value}:{THU_12}")),
            (TOGGLE, {"service": value, "enfant": value, "cellule": f"{repas}:{THU_12}"}),
            (reverse("portal:waiting_list"), params(setup, attente=value)),
            (reverse("portal:cart_validate"), {"service": value, "semaine": value}),
            (reverse("portal:cart_remove_failed"), {"enfant": value}),
            (PERIOD, {"service": value, "start": value, "end": value}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code < 500, (url, data)
            assert client.post(url, data, **HTMX).status_code < 500, (url, data)
    period_dates(setup, "16/11/2026", "20/11/2026")
    for value in ODD_VALUES:
        data = {"enfant": value, "aller": value, "action": value, f"jours-{repas}": [value]}
        assert client.post(PERIOD_CHILDREN, data).status_code < 500
        assert client.get(PERIOD_CHILDREN, {"enfant": value}).status_code < 500
        data = {"enfant": setup.paul.pk, "aller": value, "action": value, f"jours-{repas}": [value]}
        assert client.post(PERIOD_CHILDREN, data).status_code < 500
    for path in ["/inscriptions/agenda/99999999999999999999999/", "/agenda/%20.ics"]:
        assert client.post(path).status_code == 404, path
        assert Client().get(path).status_code in (302, 404), path
    assert cart_lines(setup) == []
