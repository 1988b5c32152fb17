"""The booking rules (docs/architecture.md#the-booking-rules), as pure functions of a
``BookingContext``.

A product is bookable on a day when the child is enrolled, the product opens that day, the
booking deadline has not passed, no incompatible product is booked that day (a flat rate
and the unit products of its incompatibility group are rivals on every day the flat rate
covers) and a place is left. A booking is cancellable until the cancellation deadline and
before attendance is taken.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from espacefamille.catalog.calendar import TownCalendar
from espacefamille.catalog.models import FlatRatePeriod, Product
from espacefamille.core.dates import monday_of

from .errors import Reason, Refusal
from .limits import check_in_range

if TYPE_CHECKING:
    from .context import BookingContext

__all__ = [
    "Pending",
    "Reason",
    "Refusal",
    "check_add",
    "check_cancel",
    "check_incompatible",
    "claim",
    "other_household_refusal",
    "rules_window",
]

# A school period is never longer than this: the search for its ends stops there.
MAX_SCHOOL_PERIOD = 120
# How far back the attendance of a product with waiting days is read, to find where a run of
# justified absences began.
WAITING_DAYS_LOOKBACK = 62


def rules_window(product: Product, day: date, *, attendance: bool = False) -> tuple[date, date]:
    """The days whose calendar, bookings (and attendance) the rules read to answer for
    ``product`` on ``day``: the day itself, a flat rate's whole period (a school period may
    reach ``MAX_SCHOOL_PERIOD`` days either side) and, for the waiting days shown with the
    attendance, the weeks before."""
    start = end = day
    period = product.flat_rate_period
    if period == FlatRatePeriod.WEEK:
        start = monday_of(day)
        end = start + timedelta(days=6)
    elif period == FlatRatePeriod.MONTH:
        start = day.replace(day=1)
        end = day.replace(day=pycalendar.monthrange(day.year, day.month)[1])
    elif period == FlatRatePeriod.SCHOOL_PERIOD:
        start = day - timedelta(days=MAX_SCHOOL_PERIOD + 1)
        end = day + timedelta(days=MAX_SCHOOL_PERIOD + 1)
    if attendance and product.waiting_days:
        start -= timedelta(days=WAITING_DAYS_LOOKBACK)
    return start, end


def flat_rate_span(product: Product, day: date, calendar: TownCalendar) -> tuple[date, date]:
    """The period a flat-rate booking on ``day`` covers (the product's own day otherwise)."""
    period = product.flat_rate_period
    if period in (FlatRatePeriod.WEEK, FlatRatePeriod.MONTH):
        return rules_window(product, day)
    if period == FlatRatePeriod.SCHOOL_PERIOD:
        start = end = day
        for _step in range(MAX_SCHOOL_PERIOD):
            if calendar.is_school_holiday(start - timedelta(days=1)):
                break
            start -= timedelta(days=1)
        for _step in range(MAX_SCHOOL_PERIOD):
            if calendar.is_school_holiday(end + timedelta(days=1)):
                break
            end += timedelta(days=1)
        return start, end
    return day, day


@dataclass
class Pending:
    """What earlier lines of the same cart already claim, so lines are checked together."""

    added: dict[tuple[int, date], int]  # (product, day) → places
    groups: dict[tuple[int, date], dict[str, int]]  # (child, day) → group → product
    freed: set[tuple[int, int, date]]  # bookings cancelled by this cart
    # (child, group) → the flat rates claimed, each with the first day of its period.
    flat: dict[tuple[int, str], list[tuple[int, date]]]

    @classmethod
    def empty(cls) -> Pending:
        return cls(added={}, groups={}, freed=set(), flat={})


def check_add(
    ctx: BookingContext, child_id: int, product: Product, day: date, pending: Pending | None = None
) -> Refusal | None:
    pending = pending or Pending.empty()
    cal = ctx.calendar
    if not product.is_active:
        return Refusal(Reason.CLOSED, _("Cette prestation n'est plus proposée aux familles."))
    out_of_range = check_in_range(day, ctx.now)
    if out_of_range:
        return out_of_range
    enrollment = ctx.enrollment(child_id, product, day)
    if enrollment is None:
        return Refusal(
            Reason.NOT_ENROLLED, _("L'enfant n'est pas inscrit à ce service à cette date.")
        )
    if product.is_flat_rate:
        start, end = flat_rate_span(product, day, cal)
        days = (start + timedelta(days=i) for i in range((end - start).days + 1))
        closed = (
            None
            if any(cal.is_open(product, d) for d in days)
            else _("Fermé sur toute la période du forfait.")
        )
    else:
        start, closed = day, cal.closed_reason(product, day, enrollment.site_id)
    if closed:
        return Refusal(Reason.CLOSED, closed)
    if not product.booking_rule.allows(start, ctx.now, cal.is_working_day):
        return Refusal(
            Reason.PAST_DEADLINE,
            _("Le délai de réservation est dépassé (%(rule)s).")
            % {"rule": product.booking_rule.describe()},
        )
    existing = ctx.booking(child_id, product.pk, day)
    if ctx.booked_elsewhere(existing):
        return other_household_refusal()
    if existing is not None and (child_id, product.pk, existing.date) not in pending.freed:
        return Refusal(Reason.ALREADY_BOOKED, _("Cette prestation est déjà réservée."))
    incompatible = check_incompatible(ctx, child_id, product, day, pending)
    if incompatible is not None:
        return incompatible
    capacity = ctx.capacity(product, start)
    if capacity is not None:
        key = (product.pk, start)
        taken = ctx.taken(product.pk, start) + pending.added.get(key, 0)
        taken -= sum(1 for (_c, p, d) in pending.freed if p == product.pk and d == start)
        if taken >= capacity:
            return Refusal(Reason.FULL, _("Complet : il ne reste plus de place ce jour-là."))
    return None


def other_household_refusal() -> Refusal:
    """A day the child's other household booked: only that household may cancel it, and the
    family is told nothing else of it (no name, no price)."""
    return Refusal(
        Reason.OTHER_HOUSEHOLD,
        _("Réservé par l'autre foyer : ce jour-là, l'enfant est déjà inscrit par l'autre foyer."),
    )


def check_incompatible(
    ctx: BookingContext, child_id: int, product: Product, day: date, pending: Pending
) -> Refusal | None:
    """The child cannot have two products of one incompatibility group on a day (the canteen
    and a packed lunch): refused when another product of the group is booked that day (and not
    being cancelled in the same cart), or claimed by an earlier line of the same cart. A flat
    rate covers every day of its period it opens on: it is refused when a unit product of its
    group is booked on one of them, and a unit product is refused on a day a flat rate of its
    group covers (FORFAIT GARDERIE DU SOIR and GARDERIE 16H30 A 18H30). The family's cart,
    the period wizard and an agent booking for a family (past the deadline too) all apply it."""
    if not product.incompatibility_group:
        return None
    if product.is_flat_rate:
        start, end = flat_rate_span(product, day, ctx.calendar)
        covered = start
        while covered <= end:
            if ctx.calendar.is_open(product, covered):
                rival = _incompatible_with(ctx, child_id, product, covered, pending)
                if rival is not None:
                    return Refusal(
                        Reason.FLAT_RATE_RIVAL,
                        _("Le forfait couvre déjà %(other)s, réservé le %(day)s.")
                        % {"other": rival.name, "day": covered.strftime("%d/%m/%Y")},
                    )
            covered += timedelta(days=1)
        return None
    rival = _incompatible_with(ctx, child_id, product, day, pending)
    if rival is None:
        return None
    if ctx.booked_elsewhere(ctx.booking(child_id, rival.pk, day)):
        return other_household_refusal()  # the other household's day: nothing of its choice
    if rival.is_flat_rate:
        return Refusal(
            Reason.FLAT_RATE_RIVAL,
            _("Ce jour-là est déjà couvert par le forfait %(other)s.") % {"other": rival.name},
        )
    return Refusal(
        Reason.INCOMPATIBLE,
        _("Incompatible avec %(other)s, déjà réservé ce jour-là.") % {"other": rival.name},
    )


def _incompatible_with(
    ctx: BookingContext, child_id: int, product: Product, day: date, pending: Pending
) -> Product | None:
    """The product of the group that stands in the way on ``day``, if any: booked (a flat rate
    whose period covers the day included), or claimed by an earlier line of the cart."""
    group = product.incompatibility_group
    for other in ctx.products.values():
        if other.incompatibility_group != group or other.pk == product.pk:
            continue
        if other.is_flat_rate and not ctx.calendar.is_open(other, day):
            continue  # a flat rate covers only the days it opens on
        booking = ctx.booking(child_id, other.pk, day)
        if booking is not None and (child_id, other.pk, booking.date) not in pending.freed:
            return other
    claimed = pending.groups.get((child_id, day), {}).get(group)
    if claimed is not None and claimed != product.pk and claimed in ctx.products:
        return ctx.products[claimed]
    for flat_id, first in pending.flat.get((child_id, group), []):
        flat = ctx.products.get(flat_id)
        if flat is None or flat_id == product.pk or not ctx.calendar.is_open(flat, day):
            continue
        start, end = flat_rate_span(flat, first, ctx.calendar)
        if start <= day <= end:
            return flat
    return None


def check_cancel(ctx: BookingContext, child_id: int, product: Product, day: date) -> Refusal | None:
    booking = ctx.booking(child_id, product.pk, day)
    if booking is None:
        return Refusal(Reason.NOT_BOOKED, _("Il n'y a pas de réservation à annuler ce jour-là."))
    if ctx.booked_elsewhere(booking):
        return other_household_refusal()
    if (child_id, product.pk, day) in ctx.attendance:
        return Refusal(
            Reason.ATTENDANCE_TAKEN,
            _("La présence a déjà été pointée : la réservation n'est plus annulable."),
        )
    if not product.cancellation_rule.allows(booking.date, ctx.now, ctx.calendar.is_working_day):
        return Refusal(
            Reason.NOT_CANCELLABLE,
            _("Réservation non annulable : le délai d'annulation est dépassé (%(rule)s).")
            % {"rule": product.cancellation_rule.describe()},
        )
    return None


def claim(pending: Pending, child_id: int, product: Product, day: date) -> None:
    key = (product.pk, day)
    pending.added[key] = pending.added.get(key, 0) + 1
    if product.incompatibility_group:
        pending.groups.setdefault((child_id, day), {})[product.incompatibility_group] = product.pk
        if product.is_flat_rate:
            pending.flat.setdefault((child_id, product.incompatibility_group), []).append(
                (product.pk, day)
            )
