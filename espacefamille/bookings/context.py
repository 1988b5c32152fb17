"""Everything the booking rules need for some children, products and days, loaded in a fixed
number of queries whatever their count; the rules themselves are then pure (rules.py).

Callers say which days they ask about; the rules declare the window of dates they read for a
product and day (``rules.rules_window``: a flat rate's whole period, the weeks before for
waiting days), and the context loads at least that, so a closure or a holiday just outside
the days shown can never change an answer. Places taken come from the capacity ledger: read
as they are for display, or from the rows a writer has locked (``use_ledger``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import router
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.models import Enrollment, Product
from espacefamille.core.models import Municipality
from espacefamille.core.prepared_reads import (
    SentRead,
    Slot,
    prepared_read,
    slot_values,
    slots_in,
)
from espacefamille.core.round_trips import one_round_trip
from espacefamille.households.models import Child

from .locking import Ledger, day_capacity, read_ledger
from .models import (
    ACTIVE_STATUSES,
    Attendance,
    Booking,
    BookingStatus,
    ProductDay,
    WaitingListEntry,
    WaitingStatus,
)
from .rules import flat_rate_span, rules_window

Key = tuple[int, int, date]  # child id, product id, day


@dataclass
class BookingContext:
    now: datetime
    calendar: TownCalendar
    products: dict[int, Product]
    enrollments: dict[tuple[int, int], list[Enrollment]] = field(default_factory=dict)
    bookings: dict[Key, Booking] = field(default_factory=dict)
    flat_bookings: list[Booking] = field(default_factory=list)
    places: dict[tuple[int, date], ProductDay] = field(default_factory=dict)
    attendance: dict[Key, str] = field(default_factory=dict)
    # The households on the waiting list of each (child, product, day).
    waiting: dict[Key, set[int]] = field(default_factory=dict)
    # Refused and cancelled bookings from today on, oldest first (``refusals=True``): the
    # week view shows a refusal that is still the last word on its day.
    ended: list[Booking] = field(default_factory=list)
    # The household acting (``for_household``): a child shared between separated parents may
    # hold bookings of its other household, which this one can neither book again nor cancel.
    household_id: int | None = None

    @classmethod
    def load(
        cls,
        *,
        municipality: Municipality,
        children: Iterable[Child],
        products: Iterable[Product],
        days: Iterable[date],
        now: datetime | None = None,
        places: bool = True,
        attendance: bool = True,
        waiting: bool = True,
        enrollments: Iterable[Enrollment] | None = None,
        reuse_calendar: bool = False,
        refusals: bool = False,
    ) -> BookingContext:
        """The context to answer for ``products`` on ``days``. ``places``: read the ledger
        now (a writer passes False and calls ``use_ledger`` once it holds the locks);
        ``attendance`` and ``waiting``: only the pages that show them need them;
        ``enrollments``: the children's enrolments when the caller already read them;
        ``reuse_calendar``: reuse the town's calendar read for its ``calendar_version``
        (``municipality`` must have just been read from the database); ``refusals``: also
        read the refused and cancelled bookings from today on (same query), for ``ended``."""
        child_ids = [c.pk for c in children]
        product_map = {p.pk: p for p in products}
        asked = set(days)
        windows = [
            rules_window(p, d, attendance=attendance) for p in product_map.values() for d in asked
        ]
        start = min((w[0] for w in windows), default=timezone.localdate())
        end = max((w[1] for w in windows), default=start)
        ctx = cls(
            now=now or timezone.now(),
            calendar=TownCalendar.load(municipality, start, end, cached=reuse_calendar),
            products=product_map,
        )
        service_ids = sorted({p.service_id for p in product_map.values()})
        span = {"start": start, "end": end}
        bookings_span = dict(span, today=timezone.localdate(ctx.now)) if refusals else span
        bookings_of = _refusals_too if refusals else _bookings_of
        # The enrolments and the bookings read together (from the database bookings are read
        # from: the replica's, for the pages that may read it).
        with one_round_trip(router.db_for_read(Booking)):
            enrollments_read = (
                _children_rows(Enrollment, _enrollments_of, child_ids, service_ids, span)
                if enrollments is None
                else None
            )
            bookings_read = _children_rows(
                Booking, bookings_of, child_ids, sorted(product_map), bookings_span
            )
        if enrollments_read is not None:
            # The latest school year first, then by id: sorted here, as ordering them in SQL
            # costs a validation more to compile than the few rows cost to sort.
            enrollments = sorted(
                enrollments_read.objects(),
                key=lambda enrollment: (-enrollment.school_year, enrollment.pk),
            )
        for enrollment in enrollments or []:
            ctx.enrollments.setdefault((enrollment.child_id, enrollment.service_id), []).append(
                enrollment
            )
        for booking in bookings_read.objects() if bookings_read else []:
            booking.product = product_map[booking.product_id]
            if booking.status not in ACTIVE_STATUSES:
                ctx.ended.append(booking)
                continue
            if booking.end_date:
                ctx.flat_bookings.append(booking)
            ctx.bookings[(booking.child_id, booking.product_id, booking.date)] = booking
        if places:
            ctx.places = read_ledger(ctx.capacity_keys(asked))
        # Attendance is only ever recorded up to today; waiting lists only exist for the
        # capped days of postpaid products.
        if attendance and start <= timezone.localdate(ctx.now):
            for row in Attendance.objects.filter(
                child_id__in=child_ids, product_id__in=product_map, date__range=(start, end)
            ):
                ctx.attendance[(row.child_id, row.product_id, row.date)] = row.state
        if waiting and any(
            p.capacity is not None and not p.service.is_prepaid for p in product_map.values()
        ):
            for child_id, product_id, day, household_id in WaitingListEntry.objects.filter(
                child_id__in=child_ids,
                product_id__in=product_map,
                date__range=(start, end),
                status=WaitingStatus.WAITING,
            ).values_list("child_id", "product_id", "date", "household_id"):
                ctx.waiting.setdefault((child_id, product_id, day), set()).add(household_id)
        ctx.ended.sort(key=lambda booking: booking.pk)
        return ctx

    def for_household(self, household_id: int) -> BookingContext:
        self.household_id = household_id
        return self

    def is_waiting(self, key: Key) -> bool:
        """The acting household (any, when none is set) is on the waiting list of ``key``; a
        shared child's entry of the other household is not shown to this one."""
        households = self.waiting.get(key, set())
        return bool(households) and (self.household_id is None or self.household_id in households)

    def booked_elsewhere(self, booking: Booking | None) -> bool:
        """``booking`` is the other household's (a shared child)."""
        return (
            booking is not None
            and self.household_id is not None
            and booking.household_id != self.household_id
        )

    def key_day(self, product: Product, day: date) -> date:
        """The day a booking of ``product`` on ``day`` is stored on: the first day of its
        period for a flat rate."""
        if product.is_flat_rate:
            return flat_rate_span(product, day, self.calendar)[0]
        return day

    def capacity_keys(self, days: Iterable[date]) -> set[tuple[int, date]]:
        """The ledger rows that hold the places of the capped products on ``days``."""
        return {
            (p.pk, self.key_day(p, d))
            for p in self.products.values()
            if p.capacity is not None
            for d in days
        }

    def use_ledger(self, ledger: Ledger) -> None:
        """Count places from the rows this transaction has locked."""
        self.places = ledger.rows

    def taken(self, product_id: int, day: date) -> int:
        row = self.places.get((product_id, day))
        return row.taken if row is not None else 0

    def capacity(self, product: Product, day: date) -> int | None:
        return day_capacity(product, self.places.get((product.pk, day)))

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


def related_products(products: Iterable[Product]) -> list[Product]:
    """``products`` plus every product of their services or of their incompatibility groups
    (with their service), so that a rival booking made in another product is always seen;
    in ``Product.Meta.ordering`` (sorted here: in SQL it joins the service again to order by
    it, and costs a validation more to compile than the rest of the statement)."""
    products = list(products)
    if not products:
        return []
    service_ids = sorted({p.service_id for p in products})
    groups = sorted({p.incompatibility_group for p in products if p.incompatibility_group})
    values = slot_values("service", service_ids) | slot_values("group", groups)
    read = prepared_read(Product, _products_of, len(service_ids), len(groups))
    found: list[Product] = read.objects(values)
    product_order(found)
    return found


def product_order(products: list[Product]) -> None:
    """Sorts ``products`` (their service loaded) as ``Product.Meta.ordering`` orders them."""
    products.sort(
        key=lambda product: (
            product.service.position,
            product.service.name,
            product.service_id,
            product.position,
            product.name,
            product.pk,
        )
    )


def _products_of(service_count: int, group_count: int) -> QuerySet[Product]:
    """The products of the ``service<i>`` slots' services or of the ``group<i>`` slots'
    incompatibility groups, with their service."""
    condition = slots_in("service__id", "service", service_count)
    if group_count:
        condition |= slots_in("incompatibility_group", "group", group_count)
    return Product.objects.filter(condition).select_related("service").order_by()


def _children_rows(
    model: type[Model],
    build: Callable[[int, int], QuerySet[Any]],
    child_ids: list[int],
    other_ids: list[int],
    span: dict[str, date],
) -> SentRead | None:
    """The rows ``build`` reads for the children and the services or products of
    ``other_ids`` over ``span`` (a statement compiled once per number of each), sent; None
    when there are none to read."""
    if not child_ids or not other_ids:
        return None
    read = prepared_read(model, build, len(child_ids), len(other_ids))
    return read.send(slot_values("child", child_ids) | slot_values("other", other_ids) | span)


def _enrollments_of(child_count: int, service_count: int) -> QuerySet[Enrollment]:
    """The enrolments of children in services that overlap the ``start``–``end`` span."""
    return Enrollment.objects.filter(
        slots_in("child__id", "child", child_count),
        slots_in("service__id", "other", service_count),
        start_date__lte=Slot("end", day=True),
        end_date__gte=Slot("start", day=True),
    ).order_by()


def _bookings_of(child_count: int, product_count: int) -> QuerySet[Booking]:
    """The active bookings of children in products on the span (a flat rate: overlapping)."""
    return _bookings(child_count, product_count, Q(status__in=ACTIVE_STATUSES))


def _refusals_too(child_count: int, product_count: int) -> QuerySet[Booking]:
    """``_bookings_of`` and the refused and cancelled ones from ``today`` on."""
    ended = Q(
        status__in=[BookingStatus.REFUSED, BookingStatus.CANCELLED],
        date__gte=Slot("today", day=True),
    )
    return _bookings(child_count, product_count, Q(status__in=ACTIVE_STATUSES) | ended)


def _bookings(child_count: int, product_count: int, statuses: Q) -> QuerySet[Booking]:
    start, end = Slot("start", day=True), Slot("end", day=True)
    return Booking.objects.filter(
        Q(date__range=(start, end)) | Q(end_date__gte=start, date__lte=end),
        statuses,
        slots_in("child__id", "child", child_count),
        slots_in("product__id", "other", product_count),
    )
