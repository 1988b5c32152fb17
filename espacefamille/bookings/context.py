"""Everything the booking rules need for some children, products and days, loaded in a fixed
number of queries whatever their count; the rules themselves are then pure (rules.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone

from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.models import Enrollment, Product
from espacefamille.core.models import Municipality
from espacefamille.households.models import Child

from .models import ACTIVE_STATUSES, Attendance, Booking, WaitingListEntry, WaitingStatus

Key = tuple[int, int, date]  # child id, product id, day


@dataclass
class BookingContext:
    now: datetime
    calendar: TownCalendar
    products: dict[int, Product]
    enrollments: dict[tuple[int, int], list[Enrollment]] = field(default_factory=dict)
    bookings: dict[Key, Booking] = field(default_factory=dict)
    flat_bookings: list[Booking] = field(default_factory=list)
    taken: dict[tuple[int, date], int] = field(default_factory=dict)
    attendance: dict[Key, str] = field(default_factory=dict)
    waiting: set[Key] = field(default_factory=set)

    @classmethod
    def load(
        cls,
        *,
        municipality: Municipality,
        children: Iterable[Child],
        products: Iterable[Product],
        start: date,
        end: date,
        capacity_days: Iterable[tuple[int, date]] | None = None,
        now: datetime | None = None,
    ) -> BookingContext:
        child_ids = [c.pk for c in children]
        product_map = {p.pk: p for p in products}
        ctx = cls(
            now=now or timezone.now(),
            calendar=TownCalendar.load(municipality, start, end),
            products=product_map,
        )
        service_ids = {p.service_id for p in product_map.values()}
        for enrollment in Enrollment.objects.filter(
            child_id__in=child_ids,
            service_id__in=service_ids,
            start_date__lte=end,
            end_date__gte=start,
        ):
            ctx.enrollments.setdefault((enrollment.child_id, enrollment.service_id), []).append(
                enrollment
            )
        bookings = Booking.objects.filter(
            Q(date__range=(start, end)) | Q(end_date__gte=start, date__lte=end),
            child_id__in=child_ids,
            product_id__in=product_map,
            status__in=ACTIVE_STATUSES,
        )
        for booking in bookings:
            booking.product = product_map[booking.product_id]
            if booking.end_date:
                ctx.flat_bookings.append(booking)
            ctx.bookings[(booking.child_id, booking.product_id, booking.date)] = booking
        ctx.taken = taken_places(
            products=product_map.values(), start=start, end=end, days=capacity_days
        )
        for row in Attendance.objects.filter(
            child_id__in=child_ids, product_id__in=product_map, date__range=(start, end)
        ):
            ctx.attendance[(row.child_id, row.product_id, row.date)] = row.state
        ctx.waiting = set(
            WaitingListEntry.objects.filter(
                child_id__in=child_ids,
                product_id__in=product_map,
                date__range=(start, end),
                status=WaitingStatus.WAITING,
            ).values_list("child_id", "product_id", "date")
        )
        return ctx

    def booking(self, child_id: int, product_id: int, day: date) -> Booking | None:
        found = self.bookings.get((child_id, product_id, day))
        if found is not None:
            return found
        for booking in self.flat_bookings:
            if (
                booking.child_id == child_id
                and booking.product_id == product_id
                and booking.end_date is not None
                and booking.date <= day <= booking.end_date
            ):
                return booking
        return None

    def enrollment(self, child_id: int, product: Product, day: date) -> Enrollment | None:
        for enrollment in self.enrollments.get((child_id, product.service_id), []):
            if enrollment.covers(day):
                return enrollment
        return None


def capacity_keys(
    products: Iterable[Product], days: Iterable[date]
) -> list[tuple[int, date]] | None:
    """The (product, day) pairs whose places must be counted to show ``days``; None (count the
    whole range) when a capped product is a flat rate, whose key is its period's first day."""
    capped = [p for p in products if p.capacity is not None]
    if any(p.is_flat_rate for p in capped):
        return None
    shown = sorted(set(days))
    return [(p.pk, d) for p in capped for d in shown]


def taken_places(
    *,
    products: Iterable[Product],
    start: date,
    end: date,
    days: Iterable[tuple[int, date]] | None = None,
) -> dict[tuple[int, date], int]:
    """Places taken per (product, day) for the products that have a capacity: active bookings
    of every household, counted now (never a stored counter)."""
    capped = [p.pk for p in products if p.capacity is not None]
    if not capped:
        return {}
    query = Booking.objects.filter(product_id__in=capped, status__in=ACTIVE_STATUSES)
    if days is not None:
        wanted = defaultdict(set)
        for product_id, day in days:
            if product_id in capped:
                wanted[product_id].add(day)
        if not wanted:
            return {}
        condition = Q()
        for product_id, dates in wanted.items():
            condition |= Q(product_id=product_id, date__in=sorted(dates))
        query = query.filter(condition)
    else:
        query = query.filter(date__range=(start, end))
    rows = query.values("product_id", "date").annotate(n=Count("*"))
    return {(row["product_id"], row["date"]): row["n"] for row in rows}
