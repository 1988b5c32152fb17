"""The week view of "Mes réservations": the state of every cell (product × day) for one child,
in a bounded number of queries whatever the number of products and days shown."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from espacefamille.catalog.models import Product, Service
from espacefamille.households.models import Child, Household

from .attendance import waiting_days
from .context import BookingContext
from .models import AttendanceState, Booking, BookingStatus, CartAction, CartLine
from .rules import Pending, Reason, Refusal, check_add, check_cancel, claim, flat_rate_span


class CellState(StrEnum):
    BOOKABLE = "bookable"
    NOT_BOOKABLE = "not_bookable"
    CART_ADD = "cart_add"
    CART_CANCEL = "cart_cancel"
    REQUESTED = "requested"
    CANCEL_REQUESTED = "cancel_requested"
    VALIDATED = "validated"
    NOT_CANCELLABLE = "not_cancellable"
    PRESENT = "present"
    ABSENT = "absent"
    JUSTIFIED = "justified"
    WAITING_DAY = "waiting_day"
    WAITING_LIST = "waiting_list"
    CLOSED = "closed"
    CLOSURE_CANCELLED = "closure_cancelled"  # the town closed the day and cancelled the booking
    SWAP = "swap"  # bookable in place of an incompatible product the cart holds that day
    REFUSED = "refused"  # the town refused the request; shown with its reason until the day
    OTHER_HOUSEHOLD = "other_household"  # a shared child's day the other household booked


# The legend of seed 004, in its order (plus the waiting list and the swap of incompatible
# products).
LEGEND = [
    (CellState.BOOKABLE, _("Prestation réservable")),
    (CellState.NOT_BOOKABLE, _("Prestation non réservable")),
    (CellState.CART_ADD, _("Demande de réservation")),
    (CellState.CART_CANCEL, _("Demande d'annulation")),
    (CellState.VALIDATED, _("Réservation validée")),
    (CellState.NOT_CANCELLABLE, _("Réservation non annulable")),
    (CellState.PRESENT, _("Enfant présent")),
    (CellState.ABSENT, _("Enfant absent")),
    (CellState.JUSTIFIED, _("Absence justifiée")),
    (CellState.WAITING_DAY, _("Jour de carence")),
    (CellState.WAITING_LIST, _("Liste d'attente")),
    (CellState.SWAP, _("Réservable à la place d'une demande du panier")),
    (CellState.REFUSED, _("Réservation refusée par la commune")),
    (CellState.OTHER_HOUSEHOLD, _("Réservé par l'autre foyer")),
]
LABELS = dict(LEGEND) | {
    CellState.REQUESTED: _("Demande de réservation (en attente de la commune)"),
    CellState.CANCEL_REQUESTED: _("Demande d'annulation (en attente de la commune)"),
    CellState.CLOSED: _("Fermé"),
}
CLICKABLE = {
    CellState.BOOKABLE,
    CellState.CART_ADD,
    CellState.CART_CANCEL,
    CellState.VALIDATED,
    CellState.REQUESTED,
    CellState.SWAP,
}


@dataclass(frozen=True)
class Cell:
    product: Product
    day: date
    state: CellState
    reason: str = ""  # why not bookable / not cancellable, for families
    short_reason: str = ""  # "complet", "délai dépassé", "fermé", "non inscrit"…
    can_join_waiting_list: bool = False
    rival: str = ""  # SWAP: the cart's product this one would replace
    refusal: str = ""  # REFUSED: the town's reason
    rebookable: bool = False  # REFUSED: the rules allow asking again

    @property
    def label(self) -> str:
        if self.state == CellState.SWAP:
            return _("Réservable à la place de %(rival)s") % {"rival": self.rival}
        if self.state == CellState.CLOSURE_CANCELLED:
            return _("Annulée — fermeture (%(reason)s)") % {"reason": self.refusal}
        if self.state == CellState.REFUSED:
            if self.refusal:
                return _("Refusée : %(reason)s") % {"reason": self.refusal}
            return str(_("Refusée"))
        return str(LABELS[self.state])

    @property
    def clickable(self) -> bool:
        return self.state in CLICKABLE or (self.state == CellState.REFUSED and self.rebookable)


@dataclass(frozen=True)
class WeekRow:
    product: Product
    cells: list[Cell]


def week_days(monday: date, products: list[Product]) -> list[date]:
    """Monday to Friday, plus the weekend days on which a product opens."""
    opened = {d for p in products for d in p.weekday_set}
    return [monday + timedelta(days=i) for i in range(7) if i < 5 or i in opened]


def week_grid(
    *,
    household: Household,
    child: Child,
    service: Service,
    monday: date,
    ctx: BookingContext | None = None,
    products: list[Product] | None = None,
    lines: dict[tuple[int, date], CartLine] | None = None,
    held: set[tuple[int, date]] | None = None,
    refusals: dict[tuple[int, date], str] | None = None,
) -> list[WeekRow]:
    """``products`` (the service's active ones, with their service) and ``lines`` (the child's
    cart lines of the service by (product id, day)) may be passed in when several weeks are
    shown, so that they are read once. ``held``: the (product id, day) whose places are held
    for a payment in progress, shown "Demande de réservation" with "paiement en cours".
    ``refusals``: the town's reasons of the child's refused requests by (product id, day)
    (``refused_requests``)."""
    if products is None:
        products = list(
            Product.objects.filter(service=service, is_active=True).select_related("service")
        )
    days = week_days(monday, products)
    if ctx is None:
        ctx = BookingContext.load(
            municipality=household.municipality,
            children=[child],
            products=products,
            days=days,
            refusals=True,
        ).for_household(household.pk)
    if lines is None:
        lines = {
            (line.product_id, line.date): line
            for line in CartLine.objects.filter(
                cart__household=household, child=child, product__service=service
            )
        }
    held_days = held or set()
    if refusals is None:
        refusals = refused_requests(ctx=ctx, child=child)
    return [
        WeekRow(p, [_cell(ctx, child, p, d, lines, held_days, refusals) for d in days])
        for p in products
    ]


def refused_requests(*, ctx: BookingContext, child: Child) -> dict[tuple[int, date], str]:
    """The town's reason of each refused request of ``child`` from today on, when the
    refusal is still the last word on its day (not cancelled since), from the context's
    ``ended`` bookings (``BookingContext.load(refusals=True)``)."""
    last: dict[tuple[int, date], Booking] = {}
    for booking in ctx.ended:
        if booking.child_id == child.pk and not ctx.booked_elsewhere(booking):
            last[(booking.product_id, booking.date)] = booking
    return {
        key: booking.decision_reason
        for key, booking in last.items()
        if booking.status == BookingStatus.REFUSED
    }


def _cell(
    ctx: BookingContext,
    child: Child,
    product: Product,
    day: date,
    lines: dict[tuple[int, date], CartLine],
    held: AbstractSet[tuple[int, date]] = frozenset(),  # places held while paying
    refusals: dict[tuple[int, date], str] | None = None,
) -> Cell:
    key_day = day
    if product.is_flat_rate:
        if not ctx.calendar.is_open(product, day):
            return _closed(ctx, product, day, child=child)
        key_day = flat_rate_span(product, day, ctx.calendar)[0]
    line = lines.get((product.pk, key_day))
    if line is not None and line.action == CartAction.ADD and (product.pk, key_day) in held:
        # A prepaid line whose place is held while the family pays.
        return Cell(
            product,
            day,
            CellState.CART_ADD,
            reason=str(_("La place est retenue le temps du paiement en ligne.")),
            short_reason=str(_("paiement en cours")),
        )
    if line is not None:
        state = CellState.CART_ADD if line.action == CartAction.ADD else CellState.CART_CANCEL
        return Cell(product, day, state, reason=line.error)
    attendance = ctx.attendance.get((child.pk, product.pk, day))
    booking = ctx.booking(child.pk, product.pk, day)
    if ctx.booked_elsewhere(booking):
        return _other_household(product, day)
    if attendance is not None:
        return Cell(product, day, _attendance_state(ctx, child, product, day, attendance))
    if booking is not None:
        if booking.status == BookingStatus.REQUESTED:
            return Cell(product, day, CellState.REQUESTED)
        if booking.status == BookingStatus.CANCEL_REQUESTED:
            return Cell(product, day, CellState.CANCEL_REQUESTED)
        refusal = check_cancel(ctx, child.pk, product, key_day)
        if refusal is not None:
            return Cell(
                product,
                day,
                CellState.NOT_CANCELLABLE,
                reason=refusal.message,
                short_reason=refusal.label,
            )
        return Cell(product, day, CellState.VALIDATED)
    if ctx.is_waiting((child.pk, product.pk, day)):
        return Cell(product, day, CellState.WAITING_LIST)
    refusal = check_add(ctx, child.pk, product, key_day, _cart_pending(ctx, child, product, lines))
    if refusal is None:
        rival = _rival_in_cart(ctx, product, key_day, lines)
        if rival is not None:
            return _swap(product, day, rival)
    refused = (refusals or {}).get((product.pk, key_day))
    if refused is not None:
        return _refused(product, day, refused, refusal)
    if refusal is None:
        return Cell(product, day, CellState.BOOKABLE)
    if refusal.reason == Reason.CLOSED:
        return _closed(ctx, product, day, refusal, child=child)
    if refusal.reason == Reason.OTHER_HOUSEHOLD:
        return _other_household(product, day)
    return Cell(
        product,
        day,
        CellState.NOT_BOOKABLE,
        reason=refusal.message,
        short_reason=refusal.label,
        can_join_waiting_list=(refusal.reason == Reason.FULL and not product.service.is_prepaid),
    )


def _cart_pending(
    ctx: BookingContext, child: Child, product: Product, lines: dict[tuple[int, date], CartLine]
) -> Pending:
    """Bookings the cart cancels no longer stand in the way (a booked REPAS being cancelled
    leaves REPAS VEGETARIEN bookable), as for the click itself (cart_toggle). A flat rate and
    a unit product of its group that the cart adds do stand in each other's way: they are
    not swapped, the click on one is refused while the other is in the cart."""
    freed = {
        (child.pk, product_id, day)
        for (product_id, day), line in lines.items()
        if line.action == CartAction.CANCEL
    }
    pending = Pending(added={}, groups={}, freed=freed, flat={})
    group = product.incompatibility_group
    for (product_id, day), line in lines.items():
        other = ctx.products.get(product_id)
        if (
            line.action == CartAction.ADD
            and other is not None
            and group
            and other.incompatibility_group == group
            and other.is_flat_rate != product.is_flat_rate
        ):
            claim(pending, child.pk, other, day)
    return pending


def _rival_in_cart(
    ctx: BookingContext, product: Product, day: date, lines: dict[tuple[int, date], CartLine]
) -> Product | None:
    """An incompatible product the cart adds that day: a click would swap the two lines."""
    if not product.incompatibility_group:
        return None
    for other in ctx.products.values():
        if (
            other.pk != product.pk
            and other.incompatibility_group == product.incompatibility_group
            and other.is_flat_rate == product.is_flat_rate  # a flat rate refuses, not swaps
        ):
            line = lines.get((other.pk, day))
            if line is not None and line.action == CartAction.ADD:
                return other
    return None


def _swap(product: Product, day: date, rival: Product) -> Cell:
    reason = _(
        "Une seule de ces prestations par jour : un clic remplace %(rival)s par %(product)s "
        "dans le panier."
    ) % {"rival": rival.name, "product": product.name}
    short = _("remplace %(rival)s") % {"rival": rival.name}
    return Cell(product, day, CellState.SWAP, reason=reason, short_reason=short, rival=rival.name)


def _refused(product: Product, day: date, reason: str, rule: Refusal | None) -> Cell:
    """A refused request, with the town's reason: asked again with a click if the rules
    allow it, else with the rule's reason."""
    if rule is None:
        return Cell(product, day, CellState.REFUSED, refusal=reason, rebookable=True)
    return Cell(
        product,
        day,
        CellState.REFUSED,
        reason=rule.message,
        short_reason=rule.label,
        refusal=reason,
    )


def _other_household(product: Product, day: date) -> Cell:
    """A shared child's day booked by the other household: nothing else of it is shown."""
    return Cell(
        product,
        day,
        CellState.OTHER_HOUSEHOLD,
        reason=str(_("Ce jour-là, l'enfant est inscrit par l'autre foyer.")),
        short_reason=str(_("autre foyer")),
    )


def _closed(
    ctx: BookingContext,
    product: Product,
    day: date,
    refusal: Refusal | None = None,
    *,
    child: Child | None = None,
) -> Cell:
    """A closed day; "Annulée — fermeture (grève)" when the closure cancelled the child's
    booking of that day."""
    reason = refusal.message if refusal else (ctx.calendar.closed_reason(product, day) or "")
    for booking in ctx.ended:
        if (
            child is not None
            and booking.closure_reason
            and (booking.child_id, booking.product_id, booking.date) == (child.pk, product.pk, day)
        ):
            return Cell(
                product,
                day,
                CellState.CLOSURE_CANCELLED,
                reason=reason,
                short_reason=str(_("annulée (fermeture)")),
                refusal=booking.closure_reason,
            )
    return Cell(product, day, CellState.CLOSED, reason=reason, short_reason=str(_("fermé")))


def _attendance_state(
    ctx: BookingContext, child: Child, product: Product, day: date, attendance: str
) -> CellState:
    if attendance == AttendanceState.JUSTIFIED and product.waiting_days:
        booked = sorted(d for (c, p, d) in ctx.attendance if c == child.pk and p == product.pk)
        states = {d: ctx.attendance[(child.pk, product.pk, d)] for d in booked}
        if day in waiting_days(states=states, booked_days=booked, count=product.waiting_days):
            return CellState.WAITING_DAY
    return {
        AttendanceState.PRESENT: CellState.PRESENT,
        AttendanceState.PRESENT_UNBOOKED: CellState.PRESENT,
        AttendanceState.ABSENT: CellState.ABSENT,
        AttendanceState.JUSTIFIED: CellState.JUSTIFIED,
    }[AttendanceState(attendance)]
