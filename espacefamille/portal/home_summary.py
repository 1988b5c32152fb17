"""The family home: what's next, per child and for the household, read in a fixed number of
queries whatever the number of children (``tests/portal/test_home.py`` counts them).

Per child: today and the next school days with what is booked (and its state), and the next
booking deadline of a product the child books that is not booked yet next week. For the
household: the cart not validated yet ("3 REPAS dans votre panier"), the invoices to pay and
their total, the requests with a town answer the household has not read, the latest reported
absences."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from espacefamille.attendance.absence_selectors import AbsenceLine, latest_absence_lines
from espacefamille.billing.selectors import DueInvoice, household_invoices_due
from espacefamille.bookings.models import (
    ACTIVE_STATUSES,
    Attendance,
    AttendanceState,
    Booking,
    CartAction,
    CartLine,
)
from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.models import Enrollment, Product
from espacefamille.core.dates import monday_of
from espacefamille.households.models import Child, Household
from espacefamille.households.sharing import household_children
from espacefamille.inquiries.read_receipts import UnreadAnswer, unread_answers

SCHOOL_DAYS_SHOWN = 3
HORIZON = timedelta(days=21)


@dataclass
class DayItem:
    product: Product
    label: str  # the booking's state, or what happened that day
    state: str  # a CellState value, for the agenda's icon


@dataclass
class ChildDay:
    day: date
    label: str  # "Aujourd'hui", "Jeudi 12/11"
    items: list[DayItem] = field(default_factory=list)


@dataclass
class Deadline:
    product: Product
    week: date  # the Monday of the week the deadline is for
    at: datetime

    @property
    def day_name(self) -> str:
        return date_format(timezone.localtime(self.at), "l")

    @property
    def hour(self) -> str:
        return time_format(timezone.localtime(self.at), "H\\hi")


@dataclass
class ChildSummary:
    child: Child
    school_class: str
    service_id: int | None
    days: list[ChildDay]
    deadline: Deadline | None


@dataclass
class HomeSummary:
    children: list[ChildSummary]
    cart: list[tuple[str, int]]  # (product name, additions), in the family's words
    cart_cancellations: int
    invoices: list[DueInvoice]
    answered: list[UnreadAnswer]
    absences: list[AbsenceLine]
    # The services a child of the household is enrolled in from today on (the news they read).
    service_ids: frozenset[int] = frozenset()

    @property
    def total_due(self) -> Decimal:
        return sum((row.balance for row in self.invoices), Decimal("0.00"))


def _school_days(calendar: TownCalendar, today: date) -> list[date]:
    days: list[date] = []
    day = today
    while len(days) < SCHOOL_DAYS_SHOWN and day <= today + HORIZON:
        if calendar.is_working_day(day) and not calendar.is_school_holiday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _item(booking: Booking, attended: str | None, labels: dict[str, str]) -> DayItem:
    """What the child has that day: the attendance taken if any, else the booking's state."""
    if attended is not None:
        return DayItem(booking.product, labels.get(attended, attended), attended)
    return DayItem(booking.product, booking.get_status_display(), booking.status)


def _next_deadline(
    products: list[Product],
    booked: set[tuple[int, date]],
    calendar: TownCalendar,
    today: date,
    now: datetime,
) -> Deadline | None:
    """The soonest open booking deadline next week, among the products the child books."""
    monday = monday_of(today) + timedelta(days=7)
    found: list[Deadline] = []
    for product in products:
        for day in (monday + timedelta(days=n) for n in range(7)):
            if calendar.closed_reason(product, day) is not None:
                continue
            if (product.pk, day) not in booked:
                at = product.booking_rule.deadline(day, calendar.is_working_day)
                if at > now:
                    found.append(Deadline(product, monday, at))
            break  # the first opening day of the week decides
    return min(found, key=lambda deadline: deadline.at) if found else None


def _day_label(day: date, today: date) -> str:
    """ "Aujourd'hui", or "Jeudi 12/11": made once per day, the same for every child."""
    if day == today:
        return gettext("Aujourd'hui")
    return capfirst(date_format(day, "l d/m"))


def home_summary(*, household: Household, today: date | None = None) -> HomeSummary:
    """Seven queries whatever the children: the children (the one read that knows shared
    children, issue 22), then plain reads by their ids (the bookings with the attendance taken
    in the same query), rows as tuples or small records where only a few fields are shown."""
    today = today or timezone.localdate()
    now = timezone.now()
    horizon = monday_of(today) + timedelta(days=14)
    calendar = TownCalendar.load(household.municipality, today, horizon, cached=True)
    # A shared child (issue 22) is on both households' homes; each sees its own bookings only.
    children = list(household_children(household).order_by("birth_date", "pk"))
    child_ids = [child.pk for child in children]
    # Every enrolment not over yet: the news read their services; the days shown, those
    # started by the horizon.
    enrolments = list(
        Enrollment.objects.filter(child_id__in=child_ids, end_date__gte=today)
        .order_by("start_date", "pk")
        .values_list("child_id", "service_id", "school_class", "start_date")
    )
    current_services = frozenset(service_id for _child, service_id, _class, _start in enrolments)
    service_ids = set()
    first_enrolment: dict[int, tuple[int | None, str]] = {}
    for child_id, service_id, school_class, start_date in enrolments:
        if start_date <= horizon:
            service_ids.add(service_id)
            first_enrolment.setdefault(child_id, (service_id, school_class))
    # Each booking with the attendance taken that day if any (one row per child, product and
    # day), in the same query.
    taken = Attendance.objects.filter(
        child_id=OuterRef("child_id"), product_id=OuterRef("product_id"), date=OuterRef("date")
    ).values("state")[:1]
    annotated: QuerySet[Any] = (
        Booking.objects.filter(
            household=household,
            status__in=ACTIVE_STATUSES,
            date__range=(today - timedelta(days=7), horizon),
            end_date__isnull=True,
        )
        .annotate(attended=Subquery(taken))
        .select_related("product")
    )
    bookings: list[Booking] = list(annotated)
    taken_state: dict[int, str | None] = {row.pk: row.attended for row in annotated}  # cached
    days = _school_days(calendar, today)
    labels = {day: _day_label(day, today) for day in days}
    attended = {value: str(label) for value, label in AttendanceState.choices}
    per_child: dict[int, list[Booking]] = defaultdict(list)
    for booking in sorted(bookings, key=lambda booking: booking.product.name):
        per_child[booking.child_id].append(booking)
    summaries = []
    for child in children:
        own = per_child.get(child.pk, [])
        child_days = []
        for day in days:
            items = [
                _item(booking, taken_state[booking.pk], attended)
                for booking in own
                if booking.date == day
            ]
            child_days.append(ChildDay(day, labels[day], items))
        # The products the child books, of a service it is enrolled in (once each, by name).
        usual = {
            booking.product.pk: booking.product
            for booking in own
            if booking.product.is_active and booking.product.service_id in service_ids
        }
        enrolled_service, school_class = first_enrolment.get(child.pk, (None, ""))
        summaries.append(
            ChildSummary(
                child=child,
                school_class=school_class,
                service_id=enrolled_service,
                days=child_days,
                deadline=_next_deadline(
                    list(usual.values()),
                    {(booking.product_id, booking.date) for booking in own},
                    calendar,
                    today,
                    now,
                ),
            )
        )
    lines = list(
        CartLine.objects.filter(cart__household=household).values_list("product__name", "action")
    )
    additions = Counter(name for name, action in lines if action == CartAction.ADD)
    return HomeSummary(
        children=summaries,
        cart=sorted(additions.items()),
        cart_cancellations=sum(1 for _name, action in lines if action == CartAction.CANCEL),
        invoices=household_invoices_due(household=household),
        answered=unread_answers(household=household),
        absences=latest_absence_lines(household=household, limit=3),
        service_ids=current_services,
    )
