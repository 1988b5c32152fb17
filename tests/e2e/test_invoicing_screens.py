""" "Facturation" in Chromium: a régie agent runs a month's draft, sees the progress bar at
100 %, reviews it, makes it final and records a cheque on DUPONT's invoice; the bar follows
a run computed elsewhere without a reload; a facilitator cannot open the screens. Every page
passes axe at 1280 px and 768 px."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from espacefamille.billing.models import Invoice, InvoiceRun, RunState
from espacefamille.billing.runs import invoice_run_draft
from espacefamille.bookings.attendance import attendance_record
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.catalog.calendar import TownCalendar, daterange
from espacefamille.catalog.models import Product, Service
from espacefamille.core.models import Municipality
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child

from .agents import check_backoffice_page, menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DAYS_BOOKED = 4


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def uninvoiced_month() -> date:
    """A school month before the demo's invoiced ones, with Paul DUPONT's canteen booked on
    four of its open days, two present, one unjustified absence, one without attendance."""
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        restaurant = Service.objects.get(name="Restaurant scolaire")
        meal = Product.objects.get(service=restaurant, name="REPAS")
        paul = Child.objects.get(household__external_ref="DEMO-001", first_name="Paul")
        oldest = InvoiceRun.objects.filter(service=restaurant).order_by("month").first()
        month = _previous_month(oldest.month if oldest else timezone.localdate().replace(day=1))
        calendar = TownCalendar.load(town, month - timedelta(days=200), _month_end(month))
        while True:
            days = [
                day for day in daterange(month, _month_end(month)) if calendar.is_open(meal, day)
            ]
            if len(days) >= DAYS_BOOKED:
                break
            month = _previous_month(month)
        booked = days[:DAYS_BOOKED]
        bookings_record_history(
            bookings=[
                Booking(
                    municipality=town,
                    child=paul,
                    product=meal,
                    date=day,
                    status=BookingStatus.VALIDATED,
                )
                for day in booked
            ]
        )
        for day, state in zip(booked, ["present", "present", "absent"], strict=False):
            attendance_record(child=paul, product=meal, day=day, state=state, user=None)
    return month


def test_draft_then_final_with_the_progress_bar_and_a_cheque(agent_page: Page) -> None:
    page = agent_page
    month = uninvoiced_month()
    sign_in(page, role="regie")
    menu(page, "Facturation")
    expect(page.get_by_role("heading", name="Facturation", level=1)).to_be_visible()
    check_backoffice_page(page)

    page.get_by_label("Régie", exact=True).select_option(label="Restaurant scolaire")
    page.get_by_label("Mois facturé").fill(f"{month:%m/%Y}")
    page.get_by_role("radio", name=re.compile("brouillon")).check()
    page.get_by_role("button", name="Lancer la facturation").click()
    expect(page.get_by_text("La facturation de")).to_contain_text("est lancée")
    bar = page.get_by_role("progressbar", name="Avancement du calcul")
    expect(bar).to_be_visible()
    total = bar.get_attribute("max")
    assert total and int(total) >= 1
    expect(bar).to_have_attribute("value", total)
    households = "foyers" if int(total) > 1 else "foyer"
    expect(page.get_by_text(f"{total} / {total} {households} (100 %)")).to_be_visible()
    expect(page.get_by_role("heading", name="Anomalies")).to_be_visible()
    families = page.get_by_role("table", name=re.compile(r"factures?$"))
    dupont = families.get_by_role("row").filter(has_text="DUPONT")
    expect(dupont).to_contain_text("brouillon")
    check_backoffice_page(page)

    page.get_by_role("link", name="Finaliser…").click()
    summary = re.compile(r"^\d+ factures? (sera numérotée|seront numérotées) et envoyées?, total ")
    expect(page.get_by_text(summary)).to_be_visible()
    check_backoffice_page(page)
    page.get_by_role("button", name="Confirmer : numéroter et envoyer").click()
    expect(page.get_by_text("La facturation est définitive")).to_be_visible()
    expect(page.get_by_text("définitive depuis le")).to_be_visible()
    expect(page.get_by_role("link", name="Finaliser…")).to_have_count(0)
    with municipality_scope(Municipality.objects.get(slug="demo")):
        invoice = Invoice.objects.get(
            run__month=month, run__service__name="Restaurant scolaire", household__name="DUPONT"
        )
        number, invoice_total = invoice.number, invoice.total
    assert number
    dupont.get_by_role("link", name="DUPONT").click()
    expect(page.get_by_role("heading", name=f"Facture {number}", level=1)).to_be_visible()
    check_backoffice_page(page)

    page.get_by_role("radio", name="chèque").check()
    page.get_by_label("Montant reçu (€)").fill("2,00")
    page.get_by_label("Numéro du chèque").fill("0004567")
    page.get_by_label("Banque du chèque").fill("La Banque Postale")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    expect(page.get_by_text("Paiement de 2,00")).to_contain_text("(chèque)")
    expect(page.locator("#invoice-balance")).to_have_text(format_euros(invoice_total - 2))
    settlements = page.get_by_role("table", name="Règlements de la facture")
    expect(settlements.get_by_role("row").filter(has_text="chèque")).to_have_count(1)
    check_backoffice_page(page)

    page.get_by_role("link", name="Factures", exact=True).click()
    page.get_by_label("Référence de la facture ou nom du foyer").fill(number)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    check_backoffice_page(page)
    page.get_by_role("link", name="État d'encaissement").click()
    page.get_by_label("Régie", exact=True).select_option(label="Restaurant scolaire")
    today = timezone.localdate()
    page.get_by_label("Du", exact=True).fill(f"{today.replace(day=1):%d/%m/%Y}")
    page.get_by_label("Au", exact=True).fill(f"{today:%d/%m/%Y}")
    page.get_by_role("button", name="Afficher l'état").click()
    methods = page.get_by_role("table", name="Totaux par mode de règlement")
    expect(methods.get_by_role("row").filter(has_text="chèque")).to_contain_text("2,00")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    check_backoffice_page(page)
    page.get_by_role("link", name="Remboursements à effectuer").click()
    expect(page.get_by_role("heading", name="Remboursements à effectuer")).to_be_visible()
    check_backoffice_page(page)


def test_the_bar_follows_a_run_computed_elsewhere(agent_page: Page) -> None:
    page = agent_page
    month = uninvoiced_month()
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        restaurant = Service.objects.get(name="Restaurant scolaire")
        run = InvoiceRun.objects.create(
            municipality=town,
            service=restaurant,
            month=month,
            state=RunState.RUNNING,
            started_at=timezone.now(),
            household_count=4,
            households_done=1,
        )
    sign_in(page, role="regie")
    page.goto(f"/agents/facturation/{run.pk}/")
    expect(page.get_by_text("1 / 4 foyers (25 %)")).to_be_visible()
    check_backoffice_page(page)
    with municipality_scope(town):
        InvoiceRun.objects.filter(pk=run.pk).update(households_done=3)
    expect(page.get_by_text("3 / 4 foyers (75 %)")).to_be_visible()
    with municipality_scope(town):
        invoice_run_draft(service=restaurant, month=month)
    expect(page.get_by_role("link", name="Finaliser…")).to_be_visible()
    expect(page.get_by_text("Calcul terminé.")).to_be_visible()


def test_a_facilitator_cannot_open_the_invoicing_screens(agent_page: Page) -> None:
    page = agent_page
    sign_in(page, role="facilitator")
    nav = page.get_by_role("navigation", name="Menu des agents")
    expect(nav.get_by_role("link", name="Facturation")).to_have_count(0)
    for url in ("/agents/facturation/", "/agents/facturation/factures/"):
        response = page.goto(url)
        assert response is not None and response.status == 403
        expect(page.get_by_role("heading", name="Accès refusé")).to_be_visible()
    check_backoffice_page(page)
