""" "Mes réservations" in Chromium, as a parent of the demo town would use it (seeds 000, 003,
004): the week view, the cart, validation and its e-mail, cancellations, the period wizard,
the keyboard alone, and axe with no horizontal scroll at 320 px.

The tests run "today" (or the day ``ESPACEFAMILLE_TODAY`` names): their dates are worked out from
the README's description of the demo (``demo_calendar``: open weekdays, school and public
holidays, deadlines), never from the rules under test, so a broken rule fails them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from playwright.sync_api import Page, expect

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Booking, BookingStatus, CartLine
from espacefamille.catalog.models import Product, Service, school_year_of
from espacefamille.core.dates import monday_of
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child
from espacefamille.payments.cancellations import cart_validate

from .conftest import Inbox, text_of
from .demo_calendar import is_open, is_school_holiday, still_bookable

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Login = Callable[..., None]

# --- Dates chosen by the rules -----------------------------------------------------------------


def _town() -> Municipality:
    return Municipality.objects.get(slug="demo")


def _child(first_name: str) -> Child:
    with municipality_scope(_town()):
        return Child.objects.get(first_name=first_name, household__name="DUPONT")


def _meal() -> Product:
    with municipality_scope(_town()):
        return Product.objects.select_related("service").get(name="REPAS")


def _bookable(child: Child, product: Product, days: list[date]) -> list[date]:
    """The days among ``days`` the demo's rules leave open to booking (``demo_calendar``: the
    README's description of the demo, not the rules under test). The demo books nothing for
    ``child`` from this week on."""
    return [day for day in days if still_bookable(product.name, day)]


def _week_with_bookable_days(child: Child, product: Product, count: int) -> list[date]:
    """The first week from today with ``count`` days ``product`` can still be booked."""
    today = timezone.localdate()
    monday = monday_of(today)
    for week in range(40):
        first = monday + timedelta(weeks=week)
        days = _bookable(child, product, [first + timedelta(days=i) for i in range(5)])
        if len(days) >= count:
            return days[:count]
    raise AssertionError("no bookable week ahead")


def _long(day: date) -> str:
    """How a cell names its day ("jeudi 26 novembre 2026")."""
    with translation.override("fr"):
        return date_format(day, "l d F Y")


def _cell_button(page: Page, product: str, day: date, label: str) -> Any:
    return page.get_by_role("button", name=f"{product}, {_long(day)} : {label}", exact=True)


def _cell(page: Page, product: Product, day: date) -> Any:
    return page.locator(f"#cell-{product.pk}-{day:%Y%m%d}")


def _open_week(page: Page, child: Child, day: date) -> None:
    """Go to the week of ``day`` with "Précédent" / "Suivant", as a parent would."""
    # The child picker names each child by first name, then class ("Paul · CE1").
    picker = page.get_by_role("navigation", name="Sélectionnez l’enfant")
    picker.get_by_role("link", name=re.compile(rf"^{re.escape(child.first_name)}\b")).click()
    monday = monday_of(day)
    caption = f"{monday:%d/%m/%Y} au"
    for _step in range(60):
        text = page.locator("caption").first.inner_text()
        if caption in text:
            return
        first_day = re.search(r"(\d\d/\d\d/\d{4}) au", text)
        assert first_day is not None, text
        shown = datetime.strptime(first_day.group(1), "%d/%m/%Y").date()
        link = "Suivant" if shown < monday else "Précédent"
        page.get_by_role("link", name=link, exact=True).click()
    raise AssertionError(f"week of {day} not reached")


def _email_dates(days: list[date]) -> list[str]:
    with translation.override("fr"):
        return [date_format(d, "D d b Y").capitalize() for d in days]


def _validation_email(smtp: Inbox, containing: str) -> str:
    """The text of the "Validation du panier" e-mail whose body contains ``containing``."""

    def matches(message: Message) -> bool:
        subject = str(make_header(decode_header(message["Subject"])))
        return subject == "Validation du panier" and containing in text_of(message)

    return text_of(smtp.wait_for(matches))


# --- Journeys ----------------------------------------------------------------------------------


def test_book_two_meals_validate_and_receive_the_email(
    page: Page, smtp: Inbox, login: Login
) -> None:
    paul, meal = _child("Paul"), _meal()
    days = _week_with_bookable_days(paul, meal, 2)
    login(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes réservations"
    ).click()
    service = page.get_by_label("Sélectionnez le service / le site")
    expect(service).to_contain_text("Restaurant scolaire")
    expect(service).to_have_accessible_description(
        "Service affiché : Restaurant scolaire - postfacturation"
    )
    _open_week(page, paul, days[0])
    cart = page.locator("#panier")
    expect(cart).to_contain_text("Aucune nouvelle réservation ou annulation")
    for day in days:
        _cell_button(page, "REPAS", day, "Prestation réservable").click()
        expect(_cell_button(page, "REPAS", day, "Demande de réservation")).to_be_visible()
    expect(cart).to_contain_text("Vos réservations en cours")
    expect(cart).to_contain_text("Paul DUPONT")
    expect(cart).to_contain_text("2 REPAS")
    expect(cart).to_contain_text("Paiement à la réception de la facture")
    cart.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("status").first).to_contain_text("Réservations et annulations validées")
    for day in days:
        expect(_cell_button(page, "REPAS", day, "Réservation validée")).to_be_visible()
    expect(cart).to_contain_text("Aucune nouvelle réservation ou annulation")
    body = _validation_email(smtp, "Vos réservations")
    assert "Paul DUPONT" in body and "2 REPAS" in body
    for text in _email_dates(days):
        assert text in body, (text, body)


def test_cancellation_within_the_deadline(page: Page, smtp: Inbox, login: Login) -> None:
    paul, meal = _child("Paul"), _meal()
    (day,) = _week_with_bookable_days(paul, meal, 1)
    town = _town()
    with municipality_scope(town):
        cart_toggle(household=paul.household, child=paul, product=meal, day=day)
        assert cart_validate(household=paul.household, user=None).ok
    login(page)
    page.goto("/reservations/")
    _open_week(page, paul, day)
    _cell_button(page, "REPAS", day, "Réservation validée").click()
    expect(_cell_button(page, "REPAS", day, "Demande d'annulation")).to_be_visible()
    cart = page.locator("#panier")
    expect(cart).to_contain_text("Vos annulations en cours")
    expect(cart).to_contain_text("1 REPAS")
    cart.get_by_role("button", name="Valider").click()
    expect(_cell_button(page, "REPAS", day, "Prestation réservable")).to_be_visible()
    with municipality_scope(town):
        assert Booking.objects.get(child=paul, date=day).status == BookingStatus.CANCELLED
    body = _validation_email(smtp, "Vos annulations")
    assert "1 REPAS" in body and _email_dates([day])[0] in body


def _recent_meal_day() -> date:
    """A day REPAS opened, no later than tomorrow: its cancellation deadline has passed."""
    day = timezone.localdate() + timedelta(days=1)
    for _step in range(90):
        if is_open("REPAS", day):
            return day
        day -= timedelta(days=1)
    raise AssertionError("no meal day in the last 90 days")


def test_cancellation_past_the_deadline_is_refused(page: Page, login: Login) -> None:
    paul, meal = _child("Paul"), _meal()
    day = _recent_meal_day()
    town = _town()
    with municipality_scope(town):
        Booking.objects.create(
            municipality=town, child=paul, product=meal, date=day, status=BookingStatus.VALIDATED
        )
    login(page)
    page.goto("/reservations/")
    _open_week(page, paul, day)
    cell = _cell(page, meal, day)
    expect(cell).to_contain_text("Réservation non annulable")
    expect(cell.get_by_role("button")).to_have_count(0)  # nothing to click
    cell.locator("summary").click()
    expect(cell).to_contain_text("le délai d'annulation est dépassé")
    # Even a hand-made request is refused by the server, and nothing goes to the cart.
    token = page.locator("form.agenda-form input[name=csrfmiddlewaretoken]").input_value()
    form = {
        "csrfmiddlewaretoken": token,
        "service": str(meal.service_id),
        "enfant": str(paul.pk),
        "semaine": day.isoformat(),
        "cellule": f"{meal.pk}:{day.isoformat()}",
    }
    response = page.request.post(
        "/reservations/cellule/", form=form, headers={"HX-Request": "true"}
    )
    assert response.status == 200
    assert "Réservation non annulable" in response.text()
    with municipality_scope(town):
        assert not CartLine.objects.exists()
        assert Booking.objects.get(child=paul, date=day).status == BookingStatus.VALIDATED


def _next_school_holiday(after: date) -> tuple[date, date]:
    day = after
    while not is_school_holiday(day) or day.weekday() >= 5:
        day += timedelta(days=1)
        assert day < after + timedelta(days=200), "no school holidays ahead"
    start = day
    while is_school_holiday(day + timedelta(days=1)):
        day += timedelta(days=1)
    return start, day


def test_period_booking_for_two_children(page: Page, login: Login) -> None:
    julie, paul, meal = _child("Julie"), _child("Paul"), _meal()
    today = timezone.localdate()
    holiday_start, holiday_end = _next_school_holiday(today + timedelta(days=3))
    start, end = today, min(holiday_end + timedelta(days=10), today + timedelta(days=300))
    login(page)
    page.goto("/reservations/")
    page.get_by_role("link", name="Réserver pour une période").click()
    page.get_by_label("Date de début").fill(start.isoformat())  # the native picker
    page.get_by_label("Date de fin").fill(end.isoformat())
    page.get_by_role("button", name="Suivant").click()
    # Julie first (the elder): Mondays and Thursdays; REPAS has no Wednesday to tick.
    expect(page.get_by_role("heading", name="Jours réservés pour Julie DUPONT")).to_be_visible()
    expect(page.get_by_label("REPAS — mercredi", exact=True)).to_have_count(0)
    page.get_by_label("REPAS — lundi", exact=True).check()
    page.get_by_label("REPAS — jeudi", exact=True).check()
    page.get_by_role("button", name="Enfant suivant").click()
    expect(page.get_by_role("heading", name="Jours réservés pour Paul DUPONT")).to_be_visible()
    page.get_by_label("REPAS — mardi", exact=True).check()
    page.get_by_label("REPAS — vendredi", exact=True).check()
    page.get_by_role("button", name="Enfant précédent").click()
    expect(page.get_by_label("REPAS — lundi", exact=True)).to_be_checked()  # kept
    page.get_by_role("button", name="Enfant suivant").click()
    expect(page.get_by_label("REPAS — vendredi", exact=True)).to_be_checked()
    page.get_by_role("button", name="Terminer").click()

    town = _town()
    with municipality_scope(town):
        lines = list(CartLine.objects.filter(product=meal).values_list("child_id", "date"))
    expected: dict[int, list[date]] = {}
    every_day = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    for child, weekdays in ((julie, {0, 3}), (paul, {1, 4})):
        expected[child.pk] = _bookable(
            child, meal, [d for d in every_day if d.weekday() in weekdays]
        )
    # Paul is shared with MARTIN week about (the demo: DUPONT from next Monday, every other
    # week): "Seulement mes jours de garde" is ticked by default, so only DUPONT's weeks.
    expected[paul.pk] = [d for d in expected[paul.pk] if _dupont_week(d, today)]
    assert sorted(lines) == sorted((c, d) for c, days in expected.items() for d in days)
    assert all(d.weekday() != 2 for _c, d in lines)
    assert not [d for _c, d in lines if holiday_start <= d <= holiday_end]
    total = len(lines)
    expect(page.locator(".messages")).to_contain_text(f"{total} jours ont été ajoutés au panier")
    cart = page.locator("#panier")
    expect(cart).to_contain_text(f"{len(expected[julie.pk])} REPAS")
    expect(cart).to_contain_text("Julie DUPONT")
    expect(cart).to_contain_text("Paul DUPONT")
    # "Vider le panier", after its confirmation.
    cart.get_by_role("link", name="Vider le panier").click()
    expect(page.get_by_text(f"retirer les {total} lignes du panier")).to_be_visible()
    page.get_by_role("button", name="Oui, vider le panier").click()
    expect(page.locator(".messages")).to_contain_text("Le panier a été vidé.")
    expect(page.locator("#panier")).to_contain_text("Aucune nouvelle réservation ou annulation")
    with municipality_scope(town):
        assert not CartLine.objects.exists()


def _dupont_week(day: date, today: date) -> bool:
    """The demo's custody of Paul (README): DUPONT the week of the next Monday, and every
    other week from it; MARTIN the others."""
    next_monday = today + timedelta(days=7 - today.weekday())
    return ((monday_of(day) - next_monday).days // 7) % 2 == 0


def _first_bookable_monday(child: Child, product: Product, after: date) -> date:
    monday = after + timedelta(days=7 - after.weekday())
    for week in range(40):
        day = monday + timedelta(weeks=week)
        if _bookable(child, product, [day]):
            return day
    raise AssertionError("no bookable Monday ahead")


def _tab_to(page: Page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    target = page.locator(selector)
    for _step in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got the focus")


def test_week_view_and_period_wizard_with_the_keyboard_alone(page: Page, login: Login) -> None:
    paul, meal = _child("Paul"), _meal()
    (day,) = _week_with_bookable_days(paul, meal, 1)
    login(page)
    page.goto(f"/reservations/?enfant={paul.pk}&semaine={day.isoformat()}")
    button = f"#btn-{meal.pk}-{day:%Y%m%d}"
    _tab_to(page, button)
    page.keyboard.press("Space")
    expect(page.locator("#panier")).to_contain_text("1 REPAS")
    expect(page.locator("#agenda-status")).to_contain_text("Ajouté au panier")
    expect(page.locator(button)).to_be_focused()  # the swapped cell keeps the focus
    expect(page.locator(button)).to_contain_text("Demande de réservation")
    _tab_to(page, "#panier button[type=submit]")
    page.keyboard.press("Enter")
    expect(_cell_button(page, "REPAS", day, "Réservation validée")).to_be_visible()

    # The period wizard, from the week view's link: REPAS on Mondays for two weeks.
    start = _first_bookable_monday(paul, meal, after=day)
    mondays = _bookable(paul, meal, [start, start + timedelta(days=7)])
    _tab_to(page, "a[href^='/reservations/periode/']")
    page.keyboard.press("Enter")
    # The dates are native date fields, reached with Tab and typed as a French parent types
    # them: the digits of JJ MM AAAA (the browser runs in French, tests/e2e/conftest.py).
    end = start + timedelta(days=13)
    _tab_to(page, "#id_start")
    page.keyboard.type(f"{start:%d%m%Y}")
    expect(page.locator("#id_start")).to_have_value(start.isoformat())
    _tab_to(page, "#id_end")
    page.keyboard.type(f"{end:%d%m%Y}")
    expect(page.locator("#id_end")).to_have_value(end.isoformat())
    page.keyboard.press("Enter")  # submits "Suivant →"
    expect(page.get_by_role("heading", name=re.compile("Jours réservés pour"))).to_be_visible()
    _tab_to(page, f"#jours-{meal.pk}-0")
    page.keyboard.press("Space")
    expect(page.locator(f"#jours-{meal.pk}-0")).to_be_checked()
    _tab_to(page, "button[value=terminer]")
    page.keyboard.press("Enter")
    added = len(mondays)
    expect(page.locator(".messages")).to_contain_text(f"{added} jour")
    with municipality_scope(_town()):
        days = CartLine.objects.filter(product=meal).values_list("date", flat=True)
        assert sorted(days) == mondays


def test_pages_are_accessible_at_320px(
    page: Page, login: Login, assert_accessible: Callable[[Page], None]
) -> None:
    paul, meal = _child("Paul"), _meal()
    (day,) = _week_with_bookable_days(paul, meal, 1)
    login(page)
    page.goto(f"/reservations/?enfant={paul.pk}&semaine={day.isoformat()}")
    assert_accessible(page)
    _cell_button(page, "REPAS", day, "Prestation réservable").click()
    expect(page.locator("#panier")).to_contain_text("1 REPAS")
    assert_accessible(page)  # with the cart filled and a status message
    with municipality_scope(_town()):
        daycare = Service.objects.get(name="Garderie")
    page.goto(f"/reservations/?service={daycare.pk}&semaines=3")
    assert_accessible(page)
    page.goto("/reservations/panier/vider/")
    assert_accessible(page)
    page.goto("/reservations/periode/")
    assert_accessible(page)
    page.get_by_label("Date de début").fill("2000-01-01")
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert_accessible(page)  # with errors
    page.get_by_label("Date de début").fill(day.isoformat())
    page.get_by_label("Date de fin").fill((day + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Suivant").click()
    assert_accessible(page)
    page.goto("/inscriptions/")
    year = school_year_of(timezone.localdate())
    expect(page.get_by_text(f"{year}-{year + 1}").first).to_be_visible()
    page.get_by_role("button", name=re.compile("Créer le lien de l'agenda — Paul")).click()
    expect(page.get_by_label("Adresse de l'agenda de Paul (iCal)")).to_be_visible()
    assert_accessible(page)
