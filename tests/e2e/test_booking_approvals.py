"""The agents' booking screens in Chromium, next to the family's (two browsers): a cancellation
request accepted ("Réservations à valider") changes the family's cell and is e-mailed, two
booking requests refused in bulk with the reason e-mailed, and a day booked for a family past
the deadline with a reason ("Réservations du jour"), never past the capacity.

The demo's restaurant needs no approval: the journeys switch its approval on first (a setting
of the service an administrator changes in the configuration); bookings and requests are made
through the family's cart services, so the capacity ledger stays exact."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from email.header import decode_header, make_header
from email.message import Message

import pytest
from playwright.sync_api import Page, expect

from espacefamille.billing.models import InvoiceRun, RunState
from espacefamille.bookings.capacity import product_day_capacity_set
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus, ProductDay
from espacefamille.catalog.models import Product, Service
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child
from espacefamille.payments.cancellations import cart_validate

from .agents import check_backoffice_page, menu, sign_in
from .conftest import Inbox, check_accessible, text_of
from .demo_calendar import past_deadline_days
from .test_bookings import _cell, _child, _meal, _open_week, _town, _week_with_bookable_days

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Login = Callable[..., None]


def _restaurant_needs_approval(*, bookings: bool = False, cancellations: bool = False) -> None:
    with municipality_scope(_town()):
        service = Service.objects.get(name="Restaurant scolaire")
        service.booking_requires_approval = bookings
        service.cancellation_requires_approval = cancellations
        service.save(update_fields=["booking_requires_approval", "cancellation_requires_approval"])


def _family_sends_cart(child_days: list[tuple[Child, date]]) -> None:
    """The family clicks each cell, then "Valider" (through the same services as the page)."""
    with municipality_scope(_town()):
        meal = Product.objects.select_related("service").get(name="REPAS")
        household = child_days[0][0].household
        for child, day in child_days:
            cart_toggle(household=household, child=child, product=meal, day=day)
        assert cart_validate(household=household, user=None).ok


def _status(child: Child, day: date) -> str:
    with municipality_scope(_town()):
        return (
            Booking.objects.filter(child=child, product__name="REPAS", date=day).latest("pk").status
        )


def _decision_email(smtp: Inbox, subject: str, containing: str) -> str:
    def matches(message: Message) -> bool:
        return str(make_header(decode_header(message["Subject"]))) == subject and (
            containing in text_of(message)
        )

    return text_of(smtp.wait_for(matches))


def test_accept_a_cancellation_request_the_familys_cell_changes_and_the_email_arrives(
    page: Page, agent_page: Page, smtp: Inbox, login: Login
) -> None:
    paul, meal = _child("Paul"), _meal()
    (day,) = _week_with_bookable_days(paul, meal, 1)
    _family_sends_cart([(paul, day)])
    _restaurant_needs_approval(cancellations=True)
    _family_sends_cart([(paul, day)])  # the cancellation, now waiting for the town
    assert _status(paul, day) == BookingStatus.CANCEL_REQUESTED

    login(page)
    page.goto("/reservations/")
    _open_week(page, paul, day)
    expect(_cell(page, meal, day)).to_contain_text(
        "Demande d'annulation (en attente de la commune)"
    )
    check_accessible(page)

    sign_in(agent_page)
    menu(agent_page, "Réservations à valider")
    expect(agent_page.get_by_role("heading", name="Réservations à valider")).to_be_visible()
    check_backoffice_page(agent_page)
    row = agent_page.get_by_role("row").filter(has_text=str(paul))
    expect(row).to_contain_text("demande d'annulation")
    agent_page.get_by_label(f"{paul} {day:%d/%m/%Y}").check()
    agent_page.get_by_role("button", name="Accepter la sélection").click()
    expect(agent_page.get_by_text("1 décision enregistrée.")).to_be_visible()
    expect(agent_page.get_by_text("Aucune réservation ni annulation à valider.")).to_be_visible()
    check_backoffice_page(agent_page)

    page.reload()
    expect(_cell(page, meal, day)).to_contain_text("Prestation réservable")
    assert _status(paul, day) == BookingStatus.CANCELLED
    body = _decision_email(smtp, "Votre annulation est acceptée", "Paul")
    assert "l'annulation est acceptée." in body and "REPAS" in body


def test_refuse_two_booking_requests_at_once_with_the_reason_emailed(
    page: Page, agent_page: Page, smtp: Inbox, login: Login
) -> None:
    paul, julie, meal = _child("Paul"), _child("Julie"), _meal()
    (day,) = _week_with_bookable_days(paul, meal, 1)
    _restaurant_needs_approval(bookings=True)
    _family_sends_cart([(paul, day), (julie, day)])
    assert _status(paul, day) == _status(julie, day) == BookingStatus.REQUESTED

    sign_in(agent_page, role="regie")
    menu(agent_page, "Réservations à valider")
    for child in (paul, julie):
        agent_page.get_by_label(f"{child} {day:%d/%m/%Y}").check()
    agent_page.get_by_role("button", name="Refuser la sélection").click()
    expect(
        agent_page.get_by_text("Indiquez le motif du refus : la famille le reçoit.")
    ).to_be_visible()
    assert _status(paul, day) == _status(julie, day) == BookingStatus.REQUESTED
    check_backoffice_page(agent_page)

    reason = "Sortie scolaire ce jour-là, pas de restauration"
    for child in (paul, julie):
        agent_page.get_by_label(f"{child} {day:%d/%m/%Y}").check()
    agent_page.get_by_label("Motif (envoyé à la famille, obligatoire pour un refus)").fill(reason)
    agent_page.get_by_role("button", name="Refuser la sélection").click()
    expect(agent_page.get_by_text("2 décisions enregistrées.")).to_be_visible()
    check_backoffice_page(agent_page)

    assert _status(paul, day) == _status(julie, day) == BookingStatus.REFUSED
    for child in (paul, julie):
        body = _decision_email(smtp, "Votre réservation est refusée", child.first_name)
        assert "la réservation est refusée." in body and f"Motif : {reason}" in body

    # The family sees the refusal and its reason on the cell (issue 16, item 12).
    login(page)
    page.goto("/reservations/")
    _open_week(page, paul, day)
    expect(_cell(page, meal, day)).to_contain_text(f"Refusée : {reason}")
    check_accessible(page)


def _past_deadline_day(children: list[Child], meal: Product) -> date:
    """A day REPAS opens whose booking deadline has passed (``demo_calendar``), with no meal
    booked for them and outside the months the demo invoiced for good (a day of a final run
    is refused for that reason first). At the end of August the summer holidays and the two
    invoiced months send the search back to the spring."""
    with municipality_scope(_town()):
        invoiced = set(
            InvoiceRun.objects.filter(service=meal.service, state=RunState.FINAL).values_list(
                "month", flat=True
            )
        )
        for day in past_deadline_days(meal.name, days_back=200):
            booked = Booking.objects.filter(
                child__in=children,
                product__incompatibility_group="repas",
                date=day,
                status__in=ACTIVE_STATUSES,
            ).exists()
            if not booked and day.replace(day=1) not in invoiced:
                return day
    raise AssertionError("no past-deadline meal day in the last 200 days")


def _choose_child(page: Page, child: Child) -> None:
    """The counter's search by name, with the keyboard: type, Enter, choose the radio."""
    search = page.get_by_label("Rechercher l'enfant : nom de l'enfant ou du foyer")
    search.fill(f"{child.first_name} {child.last_name}")
    search.press("Enter")
    page.get_by_label(re.compile(rf"^{child.first_name} {child.last_name} — foyer ")).check()


def test_book_for_a_family_past_the_deadline_needs_a_reason_never_past_the_capacity(
    agent_page: Page,
) -> None:
    paul, julie, meal = _child("Paul"), _child("Julie"), _meal()
    day = _past_deadline_day([paul, julie], meal)

    sign_in(agent_page, role="regie")
    agent_menu = agent_page.get_by_role("navigation", name="Menu des agents")
    agent_menu.get_by_role("link", name="Réservations", exact=True).click()
    agent_page.get_by_label("Prestation").select_option(label=f"{meal}")
    agent_page.get_by_label("Jour").fill(day.isoformat())
    agent_page.get_by_role("button", name="Afficher").click()
    expect(agent_page.get_by_role("heading", name=re.compile(r"^REPAS — "))).to_be_visible()
    check_backoffice_page(agent_page)

    _choose_child(agent_page, paul)
    agent_page.get_by_role("button", name="Réserver").click()
    expect(agent_page.get_by_text("Le délai de réservation est dépassé")).to_be_visible()
    with municipality_scope(_town()):
        assert not Booking.objects.filter(child=paul, date=day, product=meal).exists()
    check_backoffice_page(agent_page)

    _choose_child(agent_page, paul)
    agent_page.get_by_label("Motif (obligatoire hors délai)").fill("Appel du père à 8 h 30")
    agent_page.get_by_role("button", name="Réserver").click()
    expect(agent_page.get_by_text("La réservation est enregistrée.")).to_be_visible()
    expect(agent_page.get_by_role("row").filter(has_text=str(paul))).to_contain_text(
        "réservation validée"
    )
    assert _status(paul, day) == BookingStatus.VALIDATED

    with municipality_scope(_town()):  # the day is now full: its capacity is what is taken
        taken = ProductDay.objects.get(product=meal, date=day).taken
        product_day_capacity_set(product=meal, day=day, capacity=taken)
    _choose_child(agent_page, julie)
    agent_page.get_by_label("Motif (obligatoire hors délai)").fill("Oubli de la famille")
    agent_page.get_by_role("button", name="Réserver").click()
    expect(
        agent_page.get_by_text("Complet : il ne reste plus de place ce jour-là.")
    ).to_be_visible()
    with municipality_scope(_town()):
        assert not Booking.objects.filter(child=julie, date=day, product=meal).exists()
    check_backoffice_page(agent_page)
