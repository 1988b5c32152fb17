"""Separated parents in Chromium: MARTIN, Paul's other parent, books its week by "Réserver
pour une période", the dates and days pre-filled from the custody pattern (alternate weeks,
DUPONT from the next Monday: the demo, README); DUPONT's week view shows those days as
"Réservé par l'autre foyer", with nothing else of MARTIN; both pages axe-clean at 320 px.
Dates come from ``demo_calendar`` and the demo's description, never from the rules tested."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from espacefamille.bookings.models import Booking
from espacefamille.core.dates import monday_of
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.separated import MARTIN_EMAIL, MARTIN_PASSWORD

from .conftest import french_browser_page
from .demo_calendar import still_bookable
from .test_bookings import _child, _meal, _open_week, _town

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Login = Callable[..., None]


def _martin_week(today: date) -> tuple[date, date]:
    """MARTIN's next week with Paul: the weeks before and after DUPONT's, which starts on the
    next Monday."""
    monday = monday_of(today)
    next_monday = today + timedelta(days=7 - today.weekday())
    for week in range(3):
        start = monday + timedelta(weeks=week)
        if start + timedelta(days=4) >= today and ((start - next_monday).days // 7) % 2:
            return max(start, today), start + timedelta(days=4)
    raise AssertionError("no MARTIN week")


def test_martin_books_its_week_and_dupont_sees_the_other_household(
    page: Page,
    login: Login,
    browser: Browser,
    live_server: Any,
    assert_accessible: Callable[[Page], None],
) -> None:
    paul, meal = _child("Paul"), _meal()
    today = timezone.localdate()
    start, end = _martin_week(today)
    login(page, MARTIN_EMAIL, MARTIN_PASSWORD)
    page.goto("/reservations/")
    page.get_by_role("link", name="Réserver pour une période").click()
    expect(page.get_by_label("Date de début")).to_have_value(start.isoformat())
    expect(page.get_by_label("Date de fin")).to_have_value(end.isoformat())
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Jours réservés pour Paul DUPONT")).to_be_visible()
    expect(page.get_by_label("Seulement mes jours de garde")).to_be_checked()
    for weekday in ("lundi", "mardi", "jeudi", "vendredi"):
        expect(page.get_by_label(f"REPAS — {weekday}", exact=True)).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Terminer").click()
    expected = [
        start + timedelta(days=i)
        for i in range((end - start).days + 1)
        if still_bookable(meal.name, start + timedelta(days=i))
    ]
    if expected:
        page.locator("#panier").get_by_role("button", name="Valider").click()
        expect(page.get_by_role("status").first).to_contain_text("validées")
    with municipality_scope(_town()):
        booked = sorted(
            Booking.objects.filter(child=paul, product=meal, household__name="MARTIN").values_list(
                "date", flat=True
            )
        )
    assert booked == expected
    if not expected:
        pytest.skip("MARTIN's week has no bookable REPAS day today (holidays, deadlines)")
    # DUPONT's week view: the days MARTIN booked, with nothing of MARTIN.
    with french_browser_page(browser, live_server.url) as dupont:
        login(dupont)
        dupont.goto("/reservations/")
        _open_week(dupont, paul, expected[0])
        for day in expected:
            cell = dupont.locator(f"#cell-{meal.pk}-{day:%Y%m%d}")
            expect(cell).to_contain_text("Réservé par l'autre foyer")
            expect(cell.get_by_role("button")).to_have_count(0)
        text = dupont.locator("main").inner_text()
        assert "MARTIN" not in text and "Claire" not in text
        assert_accessible(dupont)
