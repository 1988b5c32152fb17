"""The kitchen counts in Chromium, as a régie agent orders tomorrow's meals: the page (axe
clean, no sideways scroll at 768 px), the XLSX downloaded through the button and checked against
a count of tomorrow's bookings in the database; the week overview, axe clean too."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child

from .agents import check_backoffice_page, menu, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _book_tomorrow() -> int:
    """Tomorrow's canteen for the demo children (one request awaiting approval, not a meal);
    return the meals the kitchen must see, counted in the database."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        meal = Product.objects.get(name="REPAS")
        taken = set(
            Booking.objects.filter(product__service=meal.service, date=tomorrow).values_list(
                "child_id", flat=True
            )
        )
        children = [child for child in Child.objects.order_by("pk") if child.pk not in taken]
        statuses = [BookingStatus.VALIDATED] * (len(children) - 1) + [BookingStatus.REQUESTED]
        bookings_record_history(
            bookings=[
                Booking(municipality=town, child=child, product=meal, date=tomorrow, status=status)
                for child, status in zip(children, statuses, strict=True)
            ]
        )
        return Booking.objects.filter(
            product__service=meal.service,
            date=tomorrow,
            status__in=[BookingStatus.VALIDATED, BookingStatus.CANCEL_REQUESTED],
        ).count()


def test_tomorrows_meals_downloaded_as_xlsx_match_the_bookings(agent_page: Page) -> None:
    expected = _book_tomorrow()
    assert expected > 0
    page = agent_page
    sign_in(page, role="regie")
    menu(page, "Commandes de repas")
    expect(page.get_by_role("heading", name="Commandes de repas", level=1)).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("REPAS")
    check_backoffice_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger (Excel)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = list(workbook["Repas"].iter_rows(min_row=2, values_only=True))
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert {row[0].date() for row in rows} == {tomorrow}
    assert sum(row[3] for row in rows) == expected
    assert sum(row[4] for row in rows) >= 1  # the request awaiting approval, apart


def test_week_overview_is_accessible_and_leads_to_the_day(agent_page: Page) -> None:
    page = agent_page
    sign_in(page, role="regie")
    page.goto("/agents/reservations/jour/")
    page.get_by_role("link", name="Réservations de la semaine").click()
    expect(page.get_by_role("heading", name="Réservations de la semaine", level=1)).to_be_visible()
    check_backoffice_page(page)
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Réservations du jour", level=1)).to_be_visible()
