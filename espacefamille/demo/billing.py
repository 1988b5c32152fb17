"""Demo invoicing (issue 11): DUPONT's canteen and daycare of last month with attendance
(present, one unjustified absence, one justified absence with its waiting day), invoiced and
unpaid, and an older canteen month invoiced and paid by cheque — so "Mes factures" shows both
tabs on a fresh ``make demo``.

Only days before the current week are booked, so the browser journeys of the current week see
exactly what they saw before. Loading again changes nothing: a month already invoiced for
good is left as it is."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from espacefamille.billing.models import Invoice, InvoiceRun, RunState
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.billing.settlements import settlement_record
from espacefamille.bookings.attendance import attendance_record
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.catalog.calendar import TownCalendar, daterange
from espacefamille.catalog.models import Product, Service
from espacefamille.core.dates import monday_of
from espacefamille.core.models import Municipality
from espacefamille.households.models import Child, Household

MIN_DAYS = 6


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _open_days(calendar: TownCalendar, product: Product, month: date, before: date) -> list[date]:
    """The product's opening days of the month, before ``before``."""
    last = min(_month_end(month), before - timedelta(days=1))
    if last < month:
        return []
    return [day for day in daterange(month, last) if calendar.is_open(product, day)]


def _school_month(calendar: TownCalendar, meal: Product, start: date, before: date) -> date:
    """The latest month from ``start`` backwards with enough canteen days (August has none)."""
    month = start
    for _attempt in range(4):
        if len(_open_days(calendar, meal, month, before)) >= MIN_DAYS:
            return month
        month = _previous_month(month)
    return month


def _book(child: Child, product: Product, day: date) -> None:
    booking = Booking(
        municipality_id=child.municipality_id,
        child=child,
        product=product,
        date=day,
        status=BookingStatus.VALIDATED,
    )
    if not Booking.objects.filter(child=child, product=product, date=day).exists():
        bookings_record_history(bookings=[booking])


def _attend(child: Child, product: Product, day: date, state: str) -> None:
    attendance_record(child=child, product=product, day=day, state=state, user=None)


def _month_done(service: Service, month: date) -> bool:
    return InvoiceRun.objects.filter(service=service, month=month, state=RunState.FINAL).exists()


def _invoice(service: Service, month: date, issued_on: date) -> None:
    run = invoice_run_draft(service=service, month=month)
    invoice_run_finalize(run=run, issued_on=issued_on, notify=False)


def load_billing_demo(town: Municipality, services: list[Service]) -> None:
    restaurant, daycare = services[0], services[1]
    today = timezone.localdate()
    monday = monday_of(today)
    calendar = TownCalendar.load(town, today - timedelta(days=200), today)
    meal = Product.objects.get(service=restaurant, name="REPAS")
    morning = Product.objects.get(service=daycare, name="GARDERIE AVANT REPAS")
    household = Household.objects.get(external_ref="DEMO-001")
    paul = Child.objects.get(household=household, first_name="Paul")
    julie = Child.objects.get(household=household, first_name="Julie")

    last = _school_month(calendar, meal, _previous_month(today.replace(day=1)), monday)
    older = _school_month(calendar, meal, _previous_month(last), last)
    issue_last = _month_end(last) + timedelta(days=1)
    issue_older = _month_end(older) + timedelta(days=1)

    if not _month_done(restaurant, older):
        for day in _open_days(calendar, meal, older, last)[:8]:
            for child in (paul, julie):
                _book(child, meal, day)
                _attend(child, meal, day, "present")
        _invoice(restaurant, older, issue_older)
        paid = Invoice.objects.get(run__service=restaurant, run__month=older, household=household)
        settlement_record(
            household=household,
            service=restaurant,
            method="cheque",
            amount=paid.total,
            invoices=[paid],
            reference="Chèque n° 0001234",
            received_at=timezone.make_aware(
                datetime.combine(issue_older + timedelta(days=9), time(10, 8, 14))
            ),
        )

    if not _month_done(restaurant, last):
        days = _open_days(calendar, meal, last, monday)[:10]
        for index, day in enumerate(days):
            for child in (paul, julie):
                _book(child, meal, day)
            # Paul: one unjustified absence (the 3rd day); Julie: a justified absence on the
            # 4th and 5th days — the 4th is the waiting day ("jour de carence"), the 5th free.
            _attend(paul, meal, day, "absent" if index == 2 else "present")
            _attend(julie, meal, day, "justified" if index in (3, 4) else "present")
        _invoice(restaurant, last, issue_last)

    if not _month_done(daycare, last):
        for day in _open_days(calendar, morning, last, monday)[:6]:
            _book(paul, morning, day)
            _attend(paul, morning, day, "present")
        _invoice(daycare, last, issue_last)
