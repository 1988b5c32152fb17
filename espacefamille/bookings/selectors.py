"""Reads for the family pages of "Mes réservations": the services and children to choose from,
the week view over one or several weeks, the cart panel and the enrolments. Every function
runs a fixed number of queries, whatever the number of children, products, weeks or lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from espacefamille.catalog.models import Enrollment, Product, Service
from espacefamille.core.dates import monday_of
from espacefamille.households.models import Child, Household
from espacefamille.households.sharing import household_children, member_q

from .agenda import Cell, WeekRow, refused_requests, week_days, week_grid
from .context import BookingContext
from .models import Booking, BookingStatus, CartAction, CartLine, PlaceHold

MAX_WEEKS = 5


def household_services(*, household: Household) -> list[Service]:
    """The services in which at least one child of the household is enrolled."""
    return list(
        Service.objects.filter(
            Exists(
                Enrollment.objects.filter(
                    member_q(household, child_field="child"), service=OuterRef("pk")
                )
            )
        )
    )


def enrolled_children(*, household: Household, service: Service) -> list[Child]:
    """The household's children with an enrolment in ``service`` (the child tabs)."""
    return list(
        household_children(household).filter(
            Exists(Enrollment.objects.filter(child_id=OuterRef("pk"), service=service))
        )
    )


def household_enrollment_rows(*, household: Household) -> list[Enrollment]:
    """Every enrolment of the household with its child and service, in one query: the week
    view derives its services, its child tabs and the rules' enrolments from it."""
    return list(
        Enrollment.objects.filter(member_q(household, child_field="child"))
        .select_related("child", "service")
        .order_by("service__position", "service__name", "child__birth_date", "child__first_name")
    )


@dataclass(frozen=True)
class AgendaWeek:
    monday: date
    days: list[date]
    rows: list[WeekRow]

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]

    @property
    def last_day(self) -> date:
        return self.days[-1]


def agenda_weeks(
    *,
    household: Household,
    child: Child,
    service: Service,
    monday: date,
    weeks: int = 1,
    enrollments: list[Enrollment] | None = None,
    cart_lines: list[CartLine] | None = None,
) -> list[AgendaWeek]:
    """``weeks`` consecutive weeks of the week view from ``monday``: the products, the booking
    context and the cart lines are read once for all of them. ``enrollments`` (the child's)
    and ``cart_lines`` (the household's) may be passed when the page already read them."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    products = list(
        Product.objects.filter(service=service, is_active=True).select_related("service")
    )
    mondays = [monday + timedelta(weeks=i) for i in range(weeks)]
    shown = [d for m in mondays for d in week_days(m, products)]
    ctx = BookingContext.load(
        municipality=household.municipality,
        children=[child],
        products=products,
        days=shown,
        enrollments=enrollments,
        reuse_calendar=True,
        refusals=True,
    ).for_household(household.pk)
    if cart_lines is None:
        cart_lines = list(
            CartLine.objects.filter(
                cart__household=household, child=child, product__service=service
            ).select_related("product")
        )
    lines = {
        (line.product_id, line.date): line
        for line in cart_lines
        if line.child_id == child.pk and line.product.service_id == service.pk
    }
    held: set[tuple[int, date]] = set()
    if service.is_prepaid and lines:
        held = set(
            PlaceHold.objects.filter(
                child=child, date__in=shown, expires_at__gt=timezone.now()
            ).values_list("product_id", "date")
        )
    refusals = refused_requests(ctx=ctx, child=child)
    return [
        AgendaWeek(
            monday=m,
            days=week_days(m, products),
            rows=week_grid(
                household=household,
                child=child,
                service=service,
                monday=m,
                ctx=ctx,
                products=products,
                lines=lines,
                held=held,
                refusals=refusals,
            ),
        )
        for m in mondays
    ]


def agenda_cells(
    *,
    household: Household,
    child: Child,
    product: Product,
    day: date,
    monday: date | None = None,
    weeks: int = 1,
) -> list[Cell]:
    """The cells a click on ``product`` × ``day`` may have changed, among the weeks shown from
    ``monday``: that cell (its whole row for a flat rate, one click covering its period) and,
    when the product belongs to an incompatibility group, the same day's cells of its rivals:
    whether they read "bookable" or "in place of REPAS" depends on what the cart now holds
    (every cell of a rival when one of the two is a flat rate, which covers its period).
    The weeks shown are read once, whatever the number of cells."""
    first = monday or monday_of(day)
    if not first <= day < first + timedelta(weeks=weeks):
        first, weeks = monday_of(day), 1
    group = product.incompatibility_group
    shown = agenda_weeks(
        household=household, child=child, service=product.service, monday=first, weeks=weeks
    )
    cells: list[Cell] = []
    for week in shown:
        for row in week.rows:
            if row.product.pk == product.pk:
                cells += [c for c in row.cells if product.is_flat_rate or c.day == day]
            elif group and row.product.incompatibility_group == group:
                whole = product.is_flat_rate or row.product.is_flat_rate
                cells += [c for c in row.cells if whole or c.day == day]
    return cells


# --- The cart panel ----------------------------------------------------------------------------


@dataclass
class CartProductGroup:
    product: Product
    lines: list[CartLine] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def failed(self) -> list[CartLine]:
        return [line for line in self.lines if line.error]


@dataclass
class CartChildGroup:
    child: Child
    products: list[CartProductGroup] = field(default_factory=list)


@dataclass
class CartSummary:
    """ "Vos réservations en cours" and "Vos annulations en cours", grouped by child then
    product, with the dates; the amount of the additions by billing mode."""

    additions: list[CartChildGroup] = field(default_factory=list)
    cancellations: list[CartChildGroup] = field(default_factory=list)
    total_prepaid: Decimal = Decimal("0")
    estimate_postpaid: Decimal = Decimal("0")
    has_prepaid: bool = False
    has_postpaid: bool = False
    failed: int = 0
    count: int = 0
    lines: list[CartLine] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.count == 0


def _group(lines: Iterable[CartLine]) -> list[CartChildGroup]:
    groups: list[CartChildGroup] = []
    for line in lines:
        if not groups or groups[-1].child.pk != line.child_id:
            groups.append(CartChildGroup(line.child))
        products = groups[-1].products
        if not products or products[-1].product.pk != line.product_id:
            products.append(CartProductGroup(line.product))
        products[-1].lines.append(line)
    return groups


def cart_summary(*, household: Household) -> CartSummary:
    lines = list(
        CartLine.objects.filter(cart__household=household)
        .select_related("child", "product__service")
        .order_by(
            "child__birth_date",
            "child__first_name",
            "child_id",
            "product__service__position",
            "product__position",
            "product__name",
            "product_id",
            "date",
        )
    )
    summary = CartSummary(
        count=len(lines), failed=sum(1 for line in lines if line.error), lines=lines
    )
    adds = [line for line in lines if line.action == CartAction.ADD]
    summary.additions = _group(adds)
    summary.cancellations = _group(line for line in lines if line.action == CartAction.CANCEL)
    for line in lines:
        if line.product.service.is_prepaid:
            summary.has_prepaid = True
        else:
            summary.has_postpaid = True
    for line in adds:
        if line.product.service.is_prepaid:
            summary.total_prepaid += line.product.unit_price
        else:
            summary.estimate_postpaid += line.product.unit_price
    return summary


def prepaid_total(lines: Iterable[CartLine]) -> Decimal:
    """What the prepaid additions among ``lines`` cost (``CartSummary.total_prepaid``)."""
    return sum(
        (
            line.product.unit_price
            for line in lines
            if line.action == CartAction.ADD and line.product.service.is_prepaid
        ),
        Decimal("0"),
    )


# --- "Mes inscriptions" ------------------------------------------------------------------------


def household_enrollments(*, household: Household) -> list[tuple[Child, list[Enrollment]]]:
    """Every child of the household with its enrolments, latest school year first."""
    children = list(household_children(household))
    by_child: dict[int, list[Enrollment]] = {c.pk: [] for c in children}
    for enrollment in (
        Enrollment.objects.filter(member_q(household, child_field="child"))
        .select_related("service", "site")
        .order_by("-school_year", "service__position", "service__name")
    ):
        by_child[enrollment.child_id].append(enrollment)
    return [(child, by_child[child.pk]) for child in children]


def household_refusals(*, household: Household) -> dict[int, list[Booking]]:
    """The household's refused requests from today on, by child, with the town's reason,
    unless the day was asked again since. One query."""
    later = Booking.objects.filter(
        child_id=OuterRef("child_id"),
        product_id=OuterRef("product_id"),
        date=OuterRef("date"),
        pk__gt=OuterRef("pk"),
    )
    refusals: dict[int, list[Booking]] = {}
    for booking in (
        Booking.objects.filter(
            household=household,
            status=BookingStatus.REFUSED,
            date__gte=timezone.localdate(),
        )
        .exclude(Exists(later))
        .select_related("product")
        .order_by("date", "product__name")
    ):
        refusals.setdefault(booking.child_id, []).append(booking)
    return refusals
