"""What the agents read about a product's day and about the requests waiting for them, in a
fixed number of queries whatever the bookings' count: the places come from the capacity
ledger (the same row every writer locks), the children with their class from their
enrolment of that day. The children are listed a page at a time (``DAY_PAGE_SIZE``): a day of
5,000 canteen bookings would otherwise be a page of 5,000 rows, each with its cancel form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

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

DAY_PAGE_SIZE = 100


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
    listed: int = 0  # the children of the site (all sites: every active booking)
    page: int = 1
    pages: int = 1

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def day_overview(
    *, product: Product, day: date, site: str = "", page: int = 1, per_page: int = DAY_PAGE_SIZE
) -> DayOverview:
    """Six queries: the ledger row, the count of the children listed, one page of the bookings
    with their child, the page's enrolments, the waiting list. ``site`` keeps the children of
    one site (their enrolment in the product's service that day)."""
    row = ProductDay.objects.filter(product=product, date=day).first()
    bookings = Booking.objects.filter(product=product, date=day, status__in=ACTIVE_STATUSES)
    if site:
        bookings = bookings.filter(
            Exists(
                Enrollment.objects.filter(
                    child_id=OuterRef("child_id"),
                    service_id=product.service_id,
                    site__name=site,
                    start_date__lte=day,
                    end_date__gte=day,
                )
            )
        )
    listed = bookings.count()
    pages = max(1, -(-listed // per_page))
    page = min(max(page, 1), pages)
    shown = list(
        bookings.select_related("child").order_by("child__last_name", "child__first_name", "pk")[
            (page - 1) * per_page : page * per_page
        ]
    )
    enrolments = {
        enrolment.child_id: enrolment
        for enrolment in Enrollment.objects.filter(
            service_id=product.service_id,
            child_id__in=[booking.child_id for booking in shown],
            start_date__lte=day,
            end_date__gte=day,
        ).select_related("site")
    }
    children = []
    for booking in shown:
        enrolment = enrolments.get(booking.child_id)
        children.append(
            ChildLine(
                booking,
                enrolment.school_class if enrolment else "",
                enrolment.site.name if enrolment and enrolment.site else "",
            )
        )
    waiting = list(
        WaitingListEntry.objects.filter(
            product=product, date=day, status=WaitingStatus.WAITING
        ).select_related("child")
    )
    booked = row.taken if row is not None else listed
    return DayOverview(
        product, day, booked, day_capacity(product, row), children, waiting, listed, page, pages
    )


def pending_requests() -> QuerySet[Booking]:
    """Bookings and cancellations waiting for an agent's decision, oldest day first."""
    return (
        Booking.objects.filter(status__in=[BookingStatus.REQUESTED, BookingStatus.CANCEL_REQUESTED])
        .select_related("child__household", "product__service")
        .order_by("date", "product__name", "child__last_name", "pk")
    )
