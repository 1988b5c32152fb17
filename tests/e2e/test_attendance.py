"""Attendance ("pointage") on a tablet, in Chromium at 768 px: the demo facilitator opens the
day's canteen sheet of their site, taps with the finger and with the keyboard alone, loses
the Wi-Fi for one tap (queued "en attente (hors ligne)") and sees it replayed once when the
network returns; another site's sheet answers 404. Every page: axe clean at 768 px."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import (
    ACTIVE_STATUSES,
    Attendance,
    AttendanceState,
    Booking,
    BookingStatus,
)
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child

from .agents import check_backoffice_page, menu, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _last_meal_day(product: Product) -> date:
    """Today or the latest day before it on which the canteen serves."""
    day = timezone.localdate()
    while str(day.weekday()) not in product.weekdays:
        day -= timedelta(days=1)
    return day


def _book_the_day(town: Municipality) -> tuple[Product, date, dict[str, Child]]:
    """Every demo child booked for the day's meal (those the demo had not booked already)."""
    with municipality_scope(town):
        meal = Product.objects.get(name="REPAS")
        day = _last_meal_day(meal)
        children = {child.first_name: child for child in Child.objects.all()}
        booked = set(
            Booking.objects.filter(product=meal, date=day, status__in=ACTIVE_STATUSES).values_list(
                "child_id", flat=True
            )
        )
        bookings_record_history(
            bookings=[
                Booking(
                    municipality=town,
                    child=child,
                    product=meal,
                    date=day,
                    status=BookingStatus.VALIDATED,
                )
                for child in children.values()
                if child.pk not in booked
            ]
        )
    return meal, day, children


def _state(town: Municipality, child: Child, meal: Product, day: date) -> str | None:
    with municipality_scope(town):
        row = Attendance.objects.filter(child=child, product=meal, date=day).first()
        return row.state if row else None


def test_take_a_days_attendance_on_a_tablet_with_one_tap_offline(agent_page: Page) -> None:
    page = agent_page
    town = Municipality.objects.get(slug="demo")
    meal, day, children = _book_the_day(town)
    julie, paul, lea, clara = (children[name] for name in ("Julie", "Paul", "Léa", "Clara"))
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(page, role="facilitator")
    menu(page, "Pointage")
    check_backoffice_page(page)
    expect(page.get_by_label("Site").locator("option")).to_have_text(
        ["Tous mes sites", "École du Centre"]
    )
    page.get_by_label("Jour").fill(day.isoformat())
    page.get_by_label("Prestation").select_option(str(meal.pk))
    page.get_by_label("Site").select_option("École du Centre")
    page.get_by_role("button", name="Ouvrir la feuille").click()
    expect(page.get_by_role("heading", name="Feuille de pointage")).to_be_visible()
    page.set_viewport_size({"width": 768, "height": 1024})
    rows = page.locator(".attendance-row")
    expect(rows.filter(has_text="DUPONT Paul")).to_contain_text("Pierre DUPONT (Grand-père)")
    expect(rows.filter(has_text="TESTMP")).to_have_count(0)  # another site's children
    check_backoffice_page(page)
    page.set_viewport_size({"width": 768, "height": 1024})

    # A finger tap: saved at once, the button pressed, "enregistré" announced.
    julie_row = page.locator(f"#enfant-{julie.pk}")
    julie_row.get_by_role("button", name="Présent").click()
    expect(julie_row.get_by_role("status")).to_have_text("enregistré")
    expect(julie_row.get_by_role("button", name="Présent")).to_have_attribute(
        "aria-pressed", "true"
    )
    # The keyboard alone: Tab to Julie's "Absent", Space; Tab on to Paul's "Présent", Enter.
    page.keyboard.press("Tab")
    expect(julie_row.get_by_role("button", name="Absent", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    expect(julie_row.get_by_role("button", name="Absent", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(julie_row.get_by_role("button", name="Présent")).to_have_attribute(
        "aria-pressed", "false"
    )
    paul_row = page.locator(f"#enfant-{paul.pk}")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(paul_row.get_by_role("button", name="Présent")).to_be_focused()
    page.keyboard.press("Enter")
    expect(paul_row.get_by_role("status")).to_have_text("enregistré")
    expect(julie_row.get_by_role("status")).to_have_text("enregistré")
    assert _state(town, julie, meal, day) == AttendanceState.ABSENT
    assert _state(town, paul, meal, day) == AttendanceState.PRESENT

    # The Wi-Fi drops: the tap waits in the browser, nothing reaches the server.
    lea_row = page.locator(f"#enfant-{lea.pk}")
    page.context.set_offline(True)
    lea_row.get_by_role("button", name="Absence justifiée").click()
    expect(lea_row.get_by_role("status")).to_have_text("en attente (hors ligne)")
    expect(page.get_by_text("1 pointage en attente (hors ligne)")).to_be_visible()
    assert _state(town, lea, meal, day) is None
    # It returns: the queue is replayed, once.
    page.context.set_offline(False)
    expect(lea_row.get_by_role("status")).to_have_text("enregistré")
    expect(page.get_by_text("1 pointage en attente (hors ligne)")).to_have_count(0)
    assert page.evaluate("() => localStorage.getItem('espacefamille.attendance.queue')") == "[]"
    page.reload()
    expect(lea_row.get_by_role("button", name="Absence justifiée")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert _state(town, lea, meal, day) == AttendanceState.JUSTIFIED
    with municipality_scope(town):
        lea_attendance = Attendance.objects.get(child=lea, product=meal, date=day)
        assert (
            ActionLogEntry.objects.filter(
                action="attendance.record", object_id=lea_attendance.pk
            ).count()
            == 1
        )
    check_backoffice_page(page)

    # Another site's sheet is not this facilitator's.
    other = page.goto(f"/agents/pointage/{meal.pk}/{day.isoformat()}/?site=École des Tilleuls")
    assert other is not None and other.status == 404
    assert _state(town, clara, meal, day) is None
