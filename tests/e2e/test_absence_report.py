"""A parent's week on a phone (issue 21), in Chromium at 375 px: from the home, "Signaler une
absence" with a medical certificate; the agent's attendance sheet shows "absence signalée";
the agent accepts the certificate; the family then reads "Absence justifiée". Every page of
the journey: axe clean, no sideways scroll at 320 px."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from espacefamille.catalog.models import Product
from espacefamille.core.minimal_pdf import minimal_pdf
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child

from . import demo_calendar
from .agents import check_backoffice_page, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _next_meal_day() -> date:
    """The first day after today on which the demo canteen serves (the demo's calendar)."""
    day = timezone.localdate() + timedelta(days=1)
    while not demo_calendar.is_open("REPAS", day):
        day += timedelta(days=1)
    return day


def _paul_booked(day: date) -> tuple[Product, Child]:
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        meal = Product.objects.get(name="REPAS")
        paul = Child.objects.get(first_name="Paul", household__name="DUPONT")
        if not Booking.objects.filter(
            child=paul, product=meal, date=day, status__in=ACTIVE_STATUSES
        ).exists():
            bookings_record_history(
                bookings=[
                    Booking(
                        municipality=town,
                        child=paul,
                        product=meal,
                        date=day,
                        status=BookingStatus.VALIDATED,
                    )
                ]
            )
    return meal, paul


def test_report_an_absence_with_a_certificate_until_it_is_justified(
    page: Page, agent_page: Page, login: Any, assert_accessible: Any, tmp_path: Path
) -> None:
    day = _next_meal_day()
    meal, paul = _paul_booked(day)
    certificate = tmp_path / "certificat.pdf"
    certificate.write_bytes(minimal_pdf(title="Certificat", lines=["Repos deux jours"]))
    page.set_viewport_size({"width": 375, "height": 740})
    login(page)
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Signaler une absence", exact=True).first.click()
    expect(page.get_by_role("heading", name="Signaler une absence", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Enfant").select_option(label=f"{paul}")
    page.get_by_label("Premier jour d'absence").fill(day.isoformat())
    page.get_by_label("Dernier jour d'absence").fill(day.isoformat())
    page.get_by_label("Maladie").check()
    page.get_by_label("Certificat médical (facultatif)").set_input_files(str(certificate))
    page.get_by_role("button", name="Signaler l'absence").click()
    expect(page.get_by_text("La commune examine votre certificat médical")).to_be_visible()
    expect(page.get_by_text("certificat en cours d'examen")).to_be_visible()
    assert_accessible(page)

    agent = agent_page
    sign_in(agent)
    agent.goto(f"/agents/pointage/{meal.pk}/{day.isoformat()}/")
    row = agent.locator(f"#enfant-{paul.pk}")
    expect(row.get_by_text("absence signalée")).to_be_visible()
    check_backoffice_page(agent)
    row.get_by_role("button", name=re.compile("^Accepter le certificat")).click()
    expect(agent.get_by_text("Absence justifiée. La famille est prévenue")).to_be_visible()

    page.goto("/absences/signaler/")
    expect(page.locator(".absence-outcome").first).to_have_text("Absence justifiée")
    page.goto("/")
    expect(page.get_by_text("Absence justifiée").first).to_be_visible()
