"""The bookings figures of the back-office dashboard ("tableau de bord"), read as aggregates in
a fixed number of queries whatever the town's size.

A booking is counted on its day while it is active (requested, validated or waiting for its
cancellation): the places it holds in the capacity ledger. A flat-rate booking counts once, on
the first day of its period, as the ledger does. Occupancy comes from the ledger itself
(``ProductDay``): places taken over places offered on the days the product opens; a day the
ledger never wrote has no place taken and the product's own capacity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.models import Product
from espacefamille.core.dates import daterange, monday_of
from espacefamille.core.models import Municipality

from .locking import day_capacity
from .models import ACTIVE_STATUSES, Booking, BookingStatus, ProductDay


@dataclass(frozen=True)
class ProductCount:
    """Bookings of one product today and over the current week (Monday to Sunday)."""

    product: str
    today: int
    week: int


@dataclass(frozen=True)
class Occupancy:
    """Places taken and offered on one capped product over the current week."""

    product: str
    taken: int
    capacity: int

    @property
    def percent(self) -> int:
        """Rounded down, so a day shown at 100 % is really full."""
        return self.taken * 100 // self.capacity if self.capacity else 0


@dataclass(frozen=True)
class DayCount:
    day: date
    bookings: int


@dataclass(frozen=True)
class PendingDecisions:
    """Bookings and cancellations waiting for an agent ("réservations à valider")."""

    bookings: int
    cancellations: int

    @property
    def total(self) -> int:
        return self.bookings + self.cancellations


def products_for_statistics() -> list[Product]:
    """The town's products, in the order families see them (one query)."""
    return list(Product.objects.select_related("service").order_by("service__name", "position"))


def bookings_per_product(*, products: list[Product], today: date) -> list[ProductCount]:
    """Every product with a booking this week, or still offered to families (one query)."""
    monday = monday_of(today)
    counts: dict[int, tuple[int, int]] = {
        row["product"]: (row["today"], row["week"])
        for row in Booking.objects.filter(
            status__in=ACTIVE_STATUSES, date__gte=monday, date__lte=monday + timedelta(days=6)
        )
        .values("product")
        .annotate(today=Count("pk", filter=Q(date=today)), week=Count("pk"))
        .order_by()
    }
    return [
        ProductCount(product.name, *counts.get(product.pk, (0, 0)))
        for product in products
        if product.is_active or product.pk in counts
    ]


def occupancy_per_product(
    *, municipality: Municipality, products: list[Product], today: date
) -> list[Occupancy]:
    """The current week's occupancy of every active capped product billed by the day and open
    this week (the week's ledger rows in one query, the town's calendar in two)."""
    capped = [
        product
        for product in products
        if product.capacity is not None and product.is_active and not product.is_flat_rate
    ]
    if not capped:
        return []
    week = daterange(monday_of(today), monday_of(today) + timedelta(days=6))
    rows = {
        (row.product_id, row.date): row
        for row in ProductDay.objects.filter(
            product__in=capped, date__gte=week[0], date__lte=week[-1]
        )
    }
    calendar = TownCalendar.load(municipality, week[0], week[-1])
    occupancy = []
    for product in capped:
        taken = capacity = 0
        for day in week:
            row = rows.get((product.pk, day))
            if not calendar.is_open(product, day) and row is None:
                continue
            taken += row.taken if row is not None else 0
            capacity += day_capacity(product, row) or 0
        if capacity:  # a product closed all week offers no place: nothing to show
            occupancy.append(Occupancy(product.name, taken, capacity))
    return occupancy


def bookings_per_day(*, today: date, weeks: int) -> list[DayCount]:
    """Active bookings of each day of the last ``weeks`` weeks, this one included (one query;
    days without any booking are shown as 0)."""
    start = monday_of(today) - timedelta(weeks=weeks - 1)
    days = daterange(start, monday_of(today) + timedelta(days=6))
    counts = dict(
        Booking.objects.filter(status__in=ACTIVE_STATUSES, date__gte=days[0], date__lte=days[-1])
        .values("date")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("date", "count")
    )
    return [DayCount(day, counts.get(day, 0)) for day in days]


def pending_decisions() -> PendingDecisions:
    """One query."""
    counts = Booking.objects.aggregate(
        bookings=Count("pk", filter=Q(status=BookingStatus.REQUESTED)),
        cancellations=Count("pk", filter=Q(status=BookingStatus.CANCEL_REQUESTED)),
    )
    return PendingDecisions(counts["bookings"], counts["cancellations"])
