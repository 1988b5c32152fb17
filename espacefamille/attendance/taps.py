"""A tap on the attendance sheet ("pointage" on a tablet): present, absent or justified
absence, one child at a time, saved on its own.

The tablet may lose its Wi-Fi: taps made offline wait in the browser and are replayed in order
when the network returns, and a tap may reach the server twice (a reply lost on the way back).
So every tap carries an id made by the tablet and the time it was made there. Under the
child's row lock, the attendance row keeps the last applied tap's id and time:

- the same tap again changes nothing (answered with the current state);
- a tap older than the last applied one changes nothing either (a late delivery never undoes
  a later decision);
- otherwise the tap is applied and written to the action log (one entry per applied tap: each
  is an agent's decision; a duplicate or stale one decides nothing and writes nothing).

A tap's time is never taken later than the server's clock, so a tablet whose clock runs ahead
cannot lock a row against the next taps."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record
from espacefamille.billing.closed_days import invoiced_day_message, invoiced_run
from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.bookings.models import ACTIVE_STATUSES, Attendance, AttendanceState, Booking
from espacefamille.catalog.models import Enrollment, Product
from espacefamille.core.events import events_emit
from espacefamille.households.models import Child

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


class TapAction(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    JUSTIFIED = "justified"


TAP_LABELS = {
    TapAction.PRESENT: "Présent",
    TapAction.ABSENT: "Absent",
    TapAction.JUSTIFIED: "Absence justifiée",
}


@dataclass(frozen=True)
class TapOutcome:
    attendance: Attendance
    applied: bool  # False: the same tap again, or older than the last applied one


def tap_action_of(state: str) -> TapAction | None:
    """The button an attendance state shows pressed."""
    if state in (AttendanceState.PRESENT, AttendanceState.PRESENT_UNBOOKED):
        return TapAction.PRESENT
    if state == AttendanceState.ABSENT:
        return TapAction.ABSENT
    if state == AttendanceState.JUSTIFIED:
        return TapAction.JUSTIFIED
    return None


def is_booked(*, child_id: int, product: Product, day: date) -> bool:
    """An active booking of that day, or a flat-rate booking whose period covers it."""
    return (
        Booking.objects.filter(child_id=child_id, product=product, status__in=ACTIVE_STATUSES)
        .filter(Q(date=day) | Q(date__lt=day, end_date__gte=day))
        .exists()
    )


def _state_for(action: TapAction, *, booked: bool) -> str:
    if action == TapAction.PRESENT:
        return AttendanceState.PRESENT if booked else AttendanceState.PRESENT_UNBOOKED
    if action == TapAction.ABSENT:
        return AttendanceState.ABSENT
    return AttendanceState.JUSTIFIED


def attendance_tap(
    *,
    child: Child,
    product: Product,
    day: date,
    action: str,
    tap_id: uuid.UUID,
    tapped_at: datetime | None,
    actor: User | None,
    sites: list[str] | None,
) -> TapOutcome:
    """Apply one tap. ``sites`` limits the children the agent may point (a facilitator's
    sites); None is every site of the town. A child without a booking that day becomes
    "présent sans réservation" (billed at the "prix si non prévu"): they must be enrolled in
    the product's service that day."""
    try:
        tap = TapAction(action)
    except ValueError:
        raise BookingError(
            Reason.UNKNOWN_MARK, _("Choisissez présent, absent ou absence justifiée.")
        ) from None
    if day > timezone.localdate():
        raise BookingError(Reason.FUTURE_DAY, _("On ne peut pas pointer un jour à venir."))
    run = invoiced_run(municipality=child.municipality_id, service=product.service_id, day=day)
    if run is not None:
        raise BookingError(Reason.INVOICED, invoiced_day_message(run))
    now = timezone.now()
    tapped = min(tapped_at, now) if tapped_at is not None else now
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        enrolment = (
            Enrollment.objects.filter(
                child=child, service_id=product.service_id, start_date__lte=day, end_date__gte=day
            )
            .select_related("site")
            .first()
        )
        if sites is not None and (
            enrolment is None or enrolment.site is None or enrolment.site.name not in sites
        ):
            # Answered as another town's child would be (404): the reason's status says so.
            raise BookingError(Reason.NOT_IN_AGENT_SITES, _("Cet enfant n'est pas dans vos sites."))
        current = Attendance.objects.filter(child=child, product=product, date=day).first()
        if current is not None and (
            current.last_tap_id == tap_id
            or (current.tapped_at is not None and tapped < current.tapped_at)
        ):
            return TapOutcome(current, applied=False)
        booked = is_booked(child_id=child.pk, product=product, day=day)
        if not booked and enrolment is None:
            raise BookingError(
                Reason.NOT_ENROLLED,
                _("Cet enfant n'est pas inscrit au service « %(service)s » ce jour-là.")
                % {"service": product.service.name},
            )
        before = current.state if current is not None else ""
        attendance, _created = Attendance.objects.update_or_create(
            municipality_id=child.municipality_id,
            child=child,
            product=product,
            date=day,
            defaults={
                "state": _state_for(tap, booked=booked),
                "recorded_by": actor,
                "recorded_at": now,
                "last_tap_id": tap_id,
                "tapped_at": tapped,
            },
        )
        action_record(
            municipality_id=child.municipality_id,
            actor=actor,
            action="attendance.record",
            obj=attendance,
            changes={"state": [before, attendance.state], "tap": str(tap_id)},
        )
        events_emit(
            municipality_id=child.municipality_id,
            name="attendance.recorded",
            items=[
                {
                    "child": child.pk,
                    "product": product.pk,
                    "date": day.isoformat(),
                    "state": attendance.state,
                }
            ],
        )
    return TapOutcome(attendance, applied=True)
