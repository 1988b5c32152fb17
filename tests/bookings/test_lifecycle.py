"""Agent approval, waiting list, attendance and waiting days, flat-rate periods, transitions."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.db import transaction

from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.agenda import CellState, week_grid
from espacefamille.bookings.attendance import attendance_record, waiting_days
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.bookings.locking import lock_product_days
from espacefamille.bookings.models import (
    Booking,
    BookingStatus,
    WaitingListEntry,
    WaitingStatus,
)
from espacefamille.bookings.transitions import booking_transition
from espacefamille.bookings.waiting_list import waiting_list_join
from espacefamille.demo.catalog import enroll_all
from espacefamille.payments.cancellations import booking_decide, cart_validate

from ..conftest import make_family
from ..factories import ChildFactory
from .conftest import MON_16, THU_12, Setup

pytestmark = pytest.mark.django_db(transaction=True)


def _book(s: Setup, child, product: str, day):  # type: ignore[no-untyped-def]
    cart_toggle(household=child.household, child=child, product=s.p(product), day=day)
    return cart_validate(household=child.household, user=s.family.user)


def test_transitions_refuse_illegal_moves_and_ignore_repeats(setup: Setup) -> None:
    result = _book(setup, setup.paul, "REPAS", MON_16)
    booking = result.booked[0]
    with transaction.atomic():
        ledger = lock_product_days([(booking.product, booking.date)])
        assert booking_transition(booking, BookingStatus.VALIDATED, ledger=ledger) is False
        booking_transition(booking, BookingStatus.CANCELLED, ledger=ledger)
        with pytest.raises(BookingError, match="→"):
            booking_transition(booking, BookingStatus.VALIDATED, ledger=ledger)
        ledger.flush()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_bookings_needing_approval(setup: Setup) -> None:
    setup.restaurant.booking_requires_approval = True
    setup.restaurant.cancellation_requires_approval = True
    setup.restaurant.save()
    booking = _book(setup, setup.paul, "REPAS", MON_16).booked[0]
    assert booking.status == BookingStatus.REQUESTED
    grid = week_grid(
        household=setup.family.household, child=setup.paul, service=setup.restaurant, monday=MON_16
    )
    assert grid[0].cells[0].state == CellState.REQUESTED
    mail.outbox.clear()
    decided = booking_decide(booking=booking, accept=True, actor=setup.family.user, reason="OK")
    assert decided.status == BookingStatus.VALIDATED
    assert mail.outbox[0].subject == "Votre réservation est acceptée"
    assert "Motif : OK" in mail.outbox[0].body
    entry = ActionLogEntry.objects.get(action="booking.decide")
    assert entry.changes["status"] == ["requested", "validated"]
    assert entry.actor == setup.family.user
    # A cancellation becomes a request too, and a refused one keeps the booking.
    cart_toggle(
        household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=MON_16
    )
    cancelled = cart_validate(household=setup.family.household, user=setup.family.user)
    assert cancelled.cancelled[0].status == BookingStatus.CANCEL_REQUESTED
    mail.outbox.clear()
    assert booking_decide(booking=booking, accept=False).status == BookingStatus.VALIDATED
    assert mail.outbox[0].subject == "Votre annulation est refusée"
    with pytest.raises(BookingError) as nothing:
        booking_decide(booking=booking, accept=True)  # nothing awaits a decision
    assert nothing.value.reason == Reason.NOTHING_TO_DECIDE


def test_refused_booking_frees_the_place(setup: Setup) -> None:
    setup.restaurant.booking_requires_approval = True
    setup.restaurant.save()
    booking = _book(setup, setup.paul, "REPAS", MON_16).booked[0]
    assert booking_decide(booking=booking, accept=False).status == BookingStatus.REFUSED
    assert not Booking.objects.filter(status__in=["requested", "validated"]).exists()


def test_waiting_list_gets_the_freed_place(setup: Setup) -> None:
    meal = setup.p("REPAS")
    meal.capacity = 1
    meal.save()
    _book(setup, setup.paul, "REPAS", MON_16)
    other = make_family(setup.paul.municipality, email="voisin@example.org")
    lea = ChildFactory(household=other.household, first_name="Léa")
    enroll_all([lea], [setup.restaurant])
    refused = cart_toggle(household=other.household, child=lea, product=meal, day=MON_16)
    assert refused.refusal.reason == Reason.FULL
    grid = week_grid(household=other.household, child=lea, service=setup.restaurant, monday=MON_16)
    assert grid[0].cells[0].can_join_waiting_list
    waiting_list_join(child=lea, product=meal, day=MON_16, user=other.user)
    grid = week_grid(household=other.household, child=lea, service=setup.restaurant, monday=MON_16)
    assert grid[0].cells[0].state == CellState.WAITING_LIST
    mail.outbox.clear()
    # Paul's family cancels: Léa gets the place at once and her family is told.
    cart_toggle(household=setup.family.household, child=setup.paul, product=meal, day=MON_16)
    assert cart_validate(household=setup.family.household, user=setup.family.user).ok
    lea_booking = Booking.objects.get(child=lea)
    assert lea_booking.status == BookingStatus.VALIDATED
    assert WaitingListEntry.objects.get().status == WaitingStatus.PROMOTED
    subjects = {m.subject: m.to for m in mail.outbox}
    assert subjects["Une place s'est libérée"] == ["voisin@example.org"]


def test_waiting_list_only_for_full_postpaid_days(setup: Setup) -> None:
    with pytest.raises(BookingError, match="Il reste de la place"):
        waiting_list_join(child=setup.paul, product=setup.p("REPAS"), day=MON_16, user=None)
    with pytest.raises(BookingError, match="pas de liste d'attente"):
        waiting_list_join(
            child=setup.paul, product=setup.p("MERCREDI JOURNEE"), day=date(2026, 11, 25), user=None
        )


def test_attendance_is_shown_and_blocks_cancellation(setup: Setup) -> None:
    _book(setup, setup.paul, "REPAS", THU_12)
    attendance_record(
        child=setup.paul, product=setup.p("REPAS"), day=THU_12, state="justified", user=None
    )
    grid = week_grid(
        household=setup.family.household,
        child=setup.paul,
        service=setup.restaurant,
        monday=date(2026, 11, 9),
    )
    cell = next(c for c in grid[0].cells if c.day == THU_12)
    assert cell.state == CellState.WAITING_DAY  # REPAS has one waiting day
    refused = cart_toggle(
        household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=THU_12
    )
    assert refused.action == "refused"
    with pytest.raises(ValueError):
        attendance_record(
            child=setup.paul, product=setup.p("REPAS"), day=THU_12, state="nonsense", user=None
        )


def test_waiting_days_are_the_first_days_of_each_run() -> None:
    days = [date(2026, 11, d) for d in (2, 3, 5, 6, 9, 10)]
    states = {
        days[0]: "justified",
        days[1]: "justified",
        days[2]: "justified",
        days[3]: "present",
        days[4]: "justified",
        days[5]: "justified",
    }
    assert waiting_days(states=states, booked_days=days, count=1) == {days[0], days[4]}
    assert waiting_days(states=states, booked_days=days, count=2) == {
        days[0],
        days[1],
        days[4],
        days[5],
    }
    assert waiting_days(states=states, booked_days=days, count=0) == set()


def test_flat_rate_books_the_whole_month_once(setup: Setup) -> None:
    result = _book(setup, setup.paul, "FORFAIT GARDERIE DU SOIR", date(2026, 12, 3))
    [booking] = result.booked
    assert (booking.date, booking.end_date) == (date(2026, 12, 1), date(2026, 12, 31))
    grid = week_grid(
        household=setup.family.household,
        child=setup.paul,
        service=setup.daycare,
        monday=date(2026, 12, 7),
    )
    row = next(r for r in grid if r.product.name == "FORFAIT GARDERIE DU SOIR")
    states = {c.day.weekday(): c.state for c in row.cells}
    assert states[0] == CellState.VALIDATED and states[2] == CellState.CLOSED
    # Clicking another day of the same month does not book it twice.
    again = cart_toggle(
        household=setup.family.household,
        child=setup.paul,
        product=setup.p("FORFAIT GARDERIE DU SOIR"),
        day=date(2026, 12, 10),
    )
    assert again.action == "cancel_added"
