"""A service's week as the agents see it: for each product and day, the children booked against
the day's capacity (the capacity ledger, with an agent's per-day capacity), and how many wait
for a place, each cell leading to the day's overview. Four queries whatever the bookings'
count (the products, the ledger rows, two ``GROUP BY``s).

Booked: the places the ledger counts (the same figure as the day's overview: active bookings and
places held for a payment) when the whole service is shown; the active bookings of the site's
children when a site is chosen (the ledger knows no sites; the capacity stays the product's). A
flat rate counts on every day of its period (its ledger row sits on the period's first day:
its cells count the bookings)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from espacefamille.catalog.models import Enrollment, Product, Service
from espacefamille.core.dates import daterange, monday_of

from .locking import day_capacity
from .models import ACTIVE_STATUSES, Booking, ProductDay, WaitingListEntry, WaitingStatus


@dataclass(frozen=True)
class WeekCell:
    day: date
    is_open: bool
    booked: int
    capacity: int | None
    waiting: int

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.booked >= self.capacity


@dataclass(frozen=True)
class WeekRow:
    product: Product
    cells: list[WeekCell]


@dataclass(frozen=True)
class WeekOverview:
    service: Service
    monday: date
    site: str
    days: list[date]
    rows: list[WeekRow]

    @property
    def previous_monday(self) -> date:
        return self.monday - timedelta(weeks=1)

    @property
    def next_monday(self) -> date:
        return self.monday + timedelta(weeks=1)


def _of_site(service: Service, site: str) -> Exists:
    return Exists(
        Enrollment.objects.filter(
            child_id=OuterRef("child_id"),
            service_id=service.pk,
            site__name=site,
            start_date__lte=OuterRef("date"),
            end_date__gte=OuterRef("date"),
        )
    )


def week_overview(*, service: Service, day: date, site: str = "") -> WeekOverview:
    monday = monday_of(day)
    sunday = monday + timedelta(days=6)
    days = daterange(monday, sunday)
    products = list(Product.objects.filter(service=service).order_by("position", "name"))
    ledger = {
        (row.product_id, row.date): row
        for row in ProductDay.objects.filter(
            product__in=products, date__gte=monday, date__lte=sunday
        )
    }
    bookings = Booking.objects.filter(
        product__in=products, status__in=ACTIVE_STATUSES, date__lte=sunday
    ).filter(Q(end_date__isnull=True, date__gte=monday) | Q(end_date__gte=monday))
    waiting = WaitingListEntry.objects.filter(
        product__in=products, status=WaitingStatus.WAITING, date__gte=monday, date__lte=sunday
    )
    if site:
        bookings = bookings.filter(_of_site(service, site))
        waiting = waiting.filter(_of_site(service, site))
    booked: dict[tuple[int, date], int] = defaultdict(int)
    for group in bookings.values("product_id", "date", "end_date").annotate(count=Count("pk")):
        last = group["end_date"] or group["date"]
        for covered in daterange(max(group["date"], monday), min(last, sunday)):
            booked[(group["product_id"], covered)] += group["count"]
    waiting_counts = {
        (row["product_id"], row["date"]): row["count"]
        for row in waiting.values("product_id", "date").annotate(count=Count("pk"))
    }
    rows = []
    for product in products:
        cells = []
        for current in days:
            row = ledger.get((product.pk, current))
            count = booked[(product.pk, current)]
            if not site and row is not None and not product.is_flat_rate:
                count = row.taken
            cells.append(
                WeekCell(
                    current,
                    str(current.weekday()) in product.weekdays,
                    count,
                    day_capacity(product, row),
                    waiting_counts.get((product.pk, current), 0),
                )
            )
        rows.append(WeekRow(product, cells))
    return WeekOverview(service, monday, site, days, rows)
