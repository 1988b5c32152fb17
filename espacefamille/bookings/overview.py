"""What the agents read about a product's day and about the requests waiting for them, in a
fixed number of queries whatever the bookings' count: the places come from the capacity
ledger (the same row every writer locks), the children with their class from their
enrolment of that day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from espacefamille.catalog.models import Enrollment, Product

from .locking import day_capacity
from .models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    ProductDay,
    WaitingListEntry,
    WaitingStatus,
)


@dataclass
class ChildLine:
    booking: Booking
    school_class: str
    site: str


@dataclass
class DayOverview:
    product: Product
    day: date
    booked: int
    capacity: int | None
    children: list[ChildLine] = field(default_factory=list)
    waiting: list[WaitingListEntry] = field(default_factory=list)


def day_overview(*, product: Product, day: date, site: str = "") -> DayOverview:
    """Four queries: the ledger row, the bookings with their child, the children's
    enrolments, the waiting list. ``site`` keeps the children of one site."""
    row = ProductDay.objects.filter(product=product, date=day).first()
    bookings = list(
        Booking.objects.filter(product=product, date=day, status__in=ACTIVE_STATUSES)
        .select_related("child")
        .order_by("child__last_name", "child__first_name", "pk")
    )
    enrolments = {
        enrolment.child_id: enrolment
        for enrolment in Enrollment.objects.filter(
            service_id=product.service_id,
            child_id__in=[booking.child_id for booking in bookings],
            start_date__lte=day,
            end_date__gte=day,
        ).only("child_id", "school_class", "site")
    }
    children = []
    for booking in bookings:
        enrolment = enrolments.get(booking.child_id)
        line = ChildLine(
            booking,
            enrolment.school_class if enrolment else "",
            enrolment.site if enrolment else "",
        )
        if not site or line.site == site:
            children.append(line)
    waiting = list(
        WaitingListEntry.objects.filter(
            product=product, date=day, status=WaitingStatus.WAITING
        ).select_related("child")
    )
    booked = row.taken if row is not None else len(bookings)
    return DayOverview(product, day, booked, day_capacity(product, row), children, waiting)


def pending_requests() -> QuerySet[Booking]:
    """Bookings and cancellations waiting for an agent's decision, oldest day first."""
    return (
        Booking.objects.filter(status__in=[BookingStatus.REQUESTED, BookingStatus.CANCEL_REQUESTED])
        .select_related("child__household", "product__service")
        .order_by("date", "product__name", "child__last_name", "pk")
    )
