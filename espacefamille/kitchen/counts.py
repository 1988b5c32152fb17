"""The kitchen's order ("commander les repas à l'avance"): for each day and site of a period, the
meals booked per product and per diet, the children with a PAI, and the forecast of how many
will actually eat (``kitchen.forecast``). Counted in the database, in a fixed number of
queries whatever the town's size (the counts are ``GROUP BY``s, never a row per booking).

What counts as a meal: a validated booking, and one whose cancellation awaits an agent's
decision (it is still validated until the agent says otherwise). A booking request awaiting
approval ("demande de réservation") is not a meal yet: it is counted apart ("à valider") so the
kitchen sees what may come. Cancelled and refused bookings, and the waiting list, never count.

A child's site and class are those of its enrolment in the service on that day (no enrolment:
no site, shown as "Sans site"). A child with several diets counts once in each of them, so the
diet lines of a site may add up to more than its meals; a child with none is in no diet line.

PAI (health data): the children's names only reach the page and the exports of agents whose
role opens the kitchen area, and never the logs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, Count, F, FilteredRelation, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.bookings.models import Attendance, AttendanceState, Booking, BookingStatus
from espacefamille.catalog.models import Product, Service
from espacefamille.core.dates import daterange

from .forecast import HISTORY_WEEKS, ForecastError, PastDay, day_forecast, forecast_error

MAX_DAYS = 31
MEAL_STATUSES = (BookingStatus.VALIDATED, BookingStatus.CANCEL_REQUESTED)
RECORDED_FOR_BOOKED = (AttendanceState.PRESENT, AttendanceState.ABSENT, AttendanceState.JUSTIFIED)


def check_period(start: date, end: date) -> None:
    if end < start:
        raise BookingError(
            Reason.PERIOD_REVERSED,
            _("La date de fin doit être le même jour ou après la date de début."),
            field="end",
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise BookingError(
            Reason.PERIOD_TOO_LONG,
            _("La période ne peut pas dépasser %(days)s jours.") % {"days": MAX_DAYS},
        )


@dataclass
class ProductCount:
    product: Product
    booked: int = 0
    requested: int = 0
    forecast: int = 0


@dataclass(frozen=True)
class CarePlanChild:
    """A child with a PAI expected that day (health data: never logged)."""

    last_name: str
    first_name: str
    school_class: str
    product_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class SiteDay:
    day: date
    site: str
    products: list[ProductCount]
    diets: list[tuple[str, int]] = field(default_factory=list)
    care_plan: list[CarePlanChild] = field(default_factory=list)

    @property
    def booked(self) -> int:
        return sum(count.booked for count in self.products)

    @property
    def forecast(self) -> int:
        return sum(count.forecast for count in self.products)

    @property
    def site_label(self) -> str:
        return self.site or "Sans site"


@dataclass
class KitchenDay:
    day: date
    sites: list[SiteDay]
    totals: list[ProductCount]

    @property
    def booked(self) -> int:
        return sum(count.booked for count in self.totals)

    @property
    def care_plan(self) -> list[tuple[str, CarePlanChild]]:
        return [(site.site_label, child) for site in self.sites for child in site.care_plan]

    @property
    def forecast(self) -> int:
        return sum(count.forecast for count in self.totals)


@dataclass(frozen=True)
class ErrorLine:
    product: Product
    site: str
    error: ForecastError

    @property
    def site_label(self) -> str:
        return self.site or "Sans site"


@dataclass
class KitchenCounts:
    service: Service
    start: date
    end: date
    products: list[Product]
    days: list[KitchenDay]
    errors: list[ErrorLine]
    history_weeks: int = HISTORY_WEEKS


def with_enrolment(rows: QuerySet[Any], service_id: int) -> QuerySet[Any]:
    """``rows`` (bookings or attendance) joined to the child's enrolment in the service on the
    row's day (at most one: one enrolment per school year); ``site`` and ``school_class``
    annotated, "" without an enrolment. A join, not a subquery per row."""
    enrolment = FilteredRelation(
        "child__enrollments",
        condition=Q(
            child__enrollments__service_id=service_id,
            child__enrollments__start_date__lte=F("date"),
            child__enrollments__end_date__gte=F("date"),
        ),
    )
    joined: QuerySet[Any] = rows.annotate(enrolment=enrolment).annotate(
        site=Coalesce(F("enrolment__site__name"), Value("")),
        school_class=Coalesce(F("enrolment__school_class"), Value("")),
    )
    return joined


def _bookings(products: list[Product], start: date, end: date) -> QuerySet[Booking]:
    return Booking.objects.filter(
        product__in=products, date__gte=start, date__lte=end, end_date__isnull=True
    )


def kitchen_counts(*, service: Service, start: date, end: date, today: date) -> KitchenCounts:
    """The counts of ``service`` from ``start`` to ``end`` (at most ``MAX_DAYS``), forecast
    from the attendance recorded before ``today``. Three queries."""
    check_period(start, end)
    products = list(Product.objects.filter(service=service).order_by("position", "name"))
    by_id = {product.pk: product for product in products}
    counts, diets, care_plan = _meals_diets_and_care_plans(service, products, start, end)
    history = _history(service, products, today)
    sites_of_day: dict[date, set[str]] = defaultdict(set)
    for day, site_name, _product_id in counts:
        sites_of_day[day].add(site_name)
    days = []
    for day in daterange(start, end):
        site_days = []
        totals = {product.pk: ProductCount(product) for product in products}
        for site_name in sorted(sites_of_day[day]):
            lines = []
            for product in products:
                count = counts.get((day, site_name, product.pk), ProductCount(product))
                count.forecast = day_forecast(
                    day, count.booked, history.get((product.pk, site_name), [])
                )
                total = totals[product.pk]
                total.booked += count.booked
                total.requested += count.requested
                total.forecast += count.forecast
                lines.append(count)
            site_days.append(
                SiteDay(
                    day,
                    site_name,
                    lines,
                    diets.get((day, site_name), []),
                    care_plan.get((day, site_name), []),
                )
            )
        days.append(KitchenDay(day, site_days, list(totals.values())))
    since = today - timedelta(weeks=HISTORY_WEEKS)
    errors = []
    for (product_id, site_name), past in sorted(
        history.items(), key=lambda item: (by_id[item[0][0]].position, item[0][1])
    ):
        error = forecast_error(past, since=since)
        if error is not None:
            errors.append(ErrorLine(by_id[product_id], site_name, error))
    return KitchenCounts(service, start, end, products, days, errors)


MealCounts = dict[tuple[date, str, int], ProductCount]
DietCounts = dict[tuple[date, str], list[tuple[str, int]]]
CarePlans = dict[tuple[date, str], list[CarePlanChild]]


def _meals_diets_and_care_plans(
    service: Service, products: list[Product], start: date, end: date
) -> tuple[MealCounts, DietCounts, CarePlans]:
    """The meals and requests per day, site and product, the children per day, site and diet,
    and the PAI children expected per day and site, from one read of the period's bookings: the
    bookings of children without a diet nor a PAI are counted in the database; those of the
    others (a few percent) come one row per child and diet, so that a child with two diets
    counts once in the meals and once in each diet, and a PAI child's row carries its name."""
    by_id = {product.pk: product for product in products}
    care_plan = Q(child__has_care_plan=True)
    rows = (
        with_enrolment(_bookings(products, start, end), service.pk)
        .filter(status__in=[*MEAL_STATUSES, BookingStatus.REQUESTED])
        .annotate(diet=F("child__diets__label"))
        .annotate(
            one_child=Case(
                When(Q(diet__isnull=False) | care_plan, then=F("child_id")), default=Value(None)
            ),
            care_last_name=Case(When(care_plan, then=F("child__last_name")), default=Value(None)),
            care_first_name=Case(When(care_plan, then=F("child__first_name")), default=Value(None)),
            care_class=Case(When(care_plan, then=F("school_class")), default=Value(None)),
        )
        .values(
            "date",
            "site",
            "product_id",
            "one_child",
            "diet",
            "care_last_name",
            "care_first_name",
            "care_class",
        )
        .annotate(
            meals=Count("pk", filter=Q(status__in=MEAL_STATUSES)),
            requests=Count("pk", filter=Q(status=BookingStatus.REQUESTED)),
            first_booking=Min("pk"),
        )
        .order_by()
    )
    counts: MealCounts = {}
    seen: set[tuple[date, str, int, int]] = set()
    diet_children: dict[tuple[date, str, str], set[int]] = defaultdict(set)
    care_rows: list[tuple[date, str, str, str, int, CarePlanChild]] = []
    for row in rows:
        day, site, product_id, child_id = (
            row["date"],
            row["site"],
            row["product_id"],
            row["one_child"],
        )
        key = (day, site, product_id)
        count = counts.get(key)
        if count is None:
            count = counts[key] = ProductCount(by_id[product_id])
        if child_id is not None:
            if row["meals"] and row["diet"] is not None:
                diet_children[(day, site, row["diet"])].add(child_id)
            if (day, site, product_id, child_id) in seen:
                continue  # the same booking under the child's next diet
            seen.add((day, site, product_id, child_id))
            if row["meals"] and row["care_last_name"] is not None:
                last_name, first_name = row["care_last_name"], row["care_first_name"]
                child = CarePlanChild(
                    last_name, first_name, row["care_class"], by_id[product_id].name
                )
                care_rows.append((day, site, last_name, first_name, row["first_booking"], child))
        count.booked += row["meals"]
        count.requested += row["requests"]
    diets: DietCounts = defaultdict(list)
    for (day, site, label), children in sorted(diet_children.items()):
        diets[(day, site)].append((label, len(children)))
    care_plans: CarePlans = defaultdict(list)
    for day, site, *_order, child in sorted(care_rows, key=lambda care_row: care_row[:5]):
        care_plans[(day, site)].append(child)
    return counts, diets, care_plans


def _history(
    service: Service, products: list[Product], today: date
) -> dict[tuple[int, str], list[PastDay]]:
    """The attendance recorded for booked children per product, site and day, over twice the
    forecast's weeks before ``today``: the last weeks to forecast, the weeks before them to
    check the forecasts of the last weeks against what happened."""
    attendance = Attendance.objects.filter(
        product__in=products,
        date__gte=today - timedelta(weeks=2 * HISTORY_WEEKS),
        date__lt=today,
        state__in=RECORDED_FOR_BOOKED,
    )
    rows = (
        with_enrolment(attendance, service.pk)
        .values("product_id", "site", "date")
        .annotate(booked=Count("pk"), present=Count("pk", filter=Q(state=AttendanceState.PRESENT)))
        .order_by("product_id", "site", "date")
    )
    history: dict[tuple[int, str], list[PastDay]] = defaultdict(list)
    for row in rows:
        history[(row["product_id"], row["site"])].append(
            PastDay(row["date"], row["booked"], row["present"])
        )
    return history
