"""The family home: what's next, per child and for the household, read in a fixed number of
queries whatever the number of children (``tests/portal/test_home.py`` counts them).

Per child: today and the next school days with what is booked (and its state), and the next
booking deadline of a product the child books that is not booked yet next week. For the
household: the cart not validated yet ("3 REPAS dans votre panier"), the invoices to pay and
their total, the requests the town answered last, the latest reported absences."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from espacefamille.attendance.absence_selectors import household_absence_reports
from espacefamille.attendance.models import AbsenceReport
from espacefamille.billing.selectors import InvoiceRow, household_invoices
from espacefamille.bookings.models import (
    ACTIVE_STATUSES,
    Attendance,
    Booking,
    CartAction,
    CartLine,
)
from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.models import Enrollment, Product
from espacefamille.core.dates import monday_of
from espacefamille.households.models import Child, Household
from espacefamille.households.sharing import household_children, member_q
from espacefamille.inquiries.models import CLOSED_STATUSES, Inquiry, InquiryMessage

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
    items: list[DayItem] = field(default_factory=list)


@dataclass
class Deadline:
    product: Product
    week: date  # the Monday of the week the deadline is for
    at: datetime


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
    invoices: list[InvoiceRow]
    answered: list[Inquiry]
    absences: list[AbsenceReport]

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


def _item(booking: Booking, attendance: Attendance | None) -> DayItem:
    if attendance is not None:
        return DayItem(booking.product, attendance.get_state_display(), attendance.state)
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


def home_summary(*, household: Household, today: date | None = None) -> HomeSummary:
    today = today or timezone.localdate()
    now = timezone.now()
    horizon = monday_of(today) + timedelta(days=14)
    calendar = TownCalendar.load(household.municipality, today, horizon, cached=True)
    # A shared child (issue 22) is on both households' homes; each sees its own bookings only.
    children = list(household_children(household).order_by("birth_date", "pk"))
    enrolments = list(
        Enrollment.objects.filter(
            member_q(household, child_field="child"), start_date__lte=horizon, end_date__gte=today
        ).order_by("start_date", "pk")
    )
    service_ids = {enrolment.service_id for enrolment in enrolments}
    products = list(
        Product.objects.filter(service_id__in=service_ids, is_active=True).order_by("name")
    )
    bookings = list(
        Booking.objects.filter(
            household=household,
            status__in=ACTIVE_STATUSES,
            date__range=(today - timedelta(days=7), horizon),
            end_date__isnull=True,
        ).select_related("product")
    )
    attendance = {
        (row.child_id, row.product_id, row.date): row
        for row in Attendance.objects.filter(
            member_q(household, child_field="child"), date__range=(today, horizon)
        )
    }
    days = _school_days(calendar, today)
    per_child: dict[int, list[Booking]] = defaultdict(list)
    for booking in bookings:
        per_child[booking.child_id].append(booking)
    summaries = []
    for child in children:
        own = per_child.get(child.pk, [])
        child_days = []
        for day in days:
            items = [
                _item(b, attendance.get((child.pk, b.product_id, day)))
                for b in sorted(own, key=lambda b: b.product.name)
                if b.date == day
            ]
            child_days.append(ChildDay(day, items))
        usual = {b.product_id for b in own}
        enrolment = next((e for e in enrolments if e.child_id == child.pk), None)
        summaries.append(
            ChildSummary(
                child=child,
                school_class=enrolment.school_class if enrolment else "",
                service_id=enrolment.service_id if enrolment else None,
                days=child_days,
                deadline=_next_deadline(
                    [p for p in products if p.pk in usual],
                    {(b.product_id, b.date) for b in own},
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
        invoices=household_invoices(household=household, paid=False),
        answered=_answered(household),
        absences=list(household_absence_reports(household=household)[:3]),
    )


def _answered(household: Household) -> list[Inquiry]:
    """Open requests whose last message is the town's (an answer the family has to read)."""
    last = InquiryMessage.objects.filter(inquiry=OuterRef("pk")).order_by("-created_at", "-pk")
    return list(
        Inquiry.objects.filter(household=household)
        .exclude(status__in=CLOSED_STATUSES)
        .annotate(
            last_from_town=Subquery(last.values("from_town")[:1]),
            last_at=Max("messages__created_at"),
        )
        .filter(Q(last_from_town=True))
        .select_related("category")
        .order_by("-last_at")[:5]
    )
