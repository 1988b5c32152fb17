"""The attendance sheet of a product's day, as a facilitator holds it on a tablet: the children
expected (booked, or already pointed present without a booking) with their class and site from
the enrolment of that day, their diets, the PAI flag and who may pick them up, the state
already recorded and the absence the family reported ("absence signalée"). Six queries
whatever the number of children (the style of ``overview.day_overview``); ``sites`` keeps a
facilitator to their own sites."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from espacefamille.bookings.models import ACTIVE_STATUSES, Attendance, Booking
from espacefamille.catalog.models import Enrollment, Product, Site
from espacefamille.households.models import AuthorizedPickup, Child, ChildDiet

from .absence_selectors import day_absence_reports
from .models import AbsenceReport
from .taps import TapAction, tap_action_of

SEARCH_LIMIT = 20


@dataclass
class SheetLine:
    child: Child
    booked: bool
    school_class: str = ""
    site: str = ""
    diets: list[str] = field(default_factory=list)
    pickups: list[AuthorizedPickup] = field(default_factory=list)
    attendance: Attendance | None = None
    report: AbsenceReport | None = None

    @property
    def pressed(self) -> TapAction | None:
        return tap_action_of(self.attendance.state) if self.attendance else None


@dataclass
class AttendanceSheet:
    product: Product
    day: date
    site: str
    lines: list[SheetLine]

    @property
    def child_ids(self) -> set[int]:
        return {line.child.pk for line in self.lines}


def _visible(site: str, *, sites: list[str] | None, chosen: str) -> bool:
    if sites is not None and site not in sites:
        return False
    return not chosen or site == chosen


def attendance_sheet(
    *, product: Product, day: date, sites: list[str] | None, site: str = ""
) -> AttendanceSheet:
    """Six queries: the bookings with their child, the attendance rows with their child, the
    children's enrolments, their diets, their households' authorized pickups, the absences
    their families reported for that day."""
    lines: dict[int, SheetLine] = {}
    for booking in (
        Booking.objects.filter(product=product, status__in=ACTIVE_STATUSES)
        .filter(Q(date=day) | Q(date__lt=day, end_date__gte=day))
        .select_related("child")
    ):
        lines[booking.child_id] = SheetLine(booking.child, booked=True)
    for attendance in Attendance.objects.filter(product=product, date=day).select_related("child"):
        line = lines.setdefault(attendance.child_id, SheetLine(attendance.child, booked=False))
        line.attendance = attendance
    for child_id, school_class, site_name in Enrollment.objects.filter(
        service_id=product.service_id,
        child_id__in=list(lines),
        start_date__lte=day,
        end_date__gte=day,
    ).values_list("child_id", "school_class", "site__name"):
        lines[child_id].school_class = school_class
        lines[child_id].site = site_name or ""
    kept = {
        child_id: line
        for child_id, line in lines.items()
        if _visible(line.site, sites=sites, chosen=site)
    }
    for link in (
        ChildDiet.objects.filter(child_id__in=list(kept))
        .select_related("diet")
        .order_by("diet__label")
    ):
        kept[link.child_id].diets.append(link.diet.label)
    pickups: dict[int, list[AuthorizedPickup]] = defaultdict(list)
    for pickup in AuthorizedPickup.objects.filter(
        household_id__in={line.child.household_id for line in kept.values()}
    ):
        pickups[pickup.household_id].append(pickup)
    reports = day_absence_reports(child_ids=kept, day=day)
    for child_id, line in kept.items():
        line.pickups = pickups.get(line.child.household_id, [])
        line.report = reports.get(child_id)
    ordered = sorted(
        kept.values(), key=lambda line: (line.child.last_name, line.child.first_name, line.child.pk)
    )
    return AttendanceSheet(product, day, site, ordered)


def enrolled_children(
    *,
    product: Product,
    day: date,
    sites: list[str] | None,
    query: str,
    exclude: set[int],
) -> list[Enrollment]:
    """ "Ajouter un enfant présent": the town's children enrolled in the product's service that
    day (in the agent's sites), by name, not already on the sheet. One query."""
    words = query.split()
    if not words:
        return []
    enrolments = Enrollment.objects.filter(
        service_id=product.service_id, start_date__lte=day, end_date__gte=day
    ).exclude(child_id__in=exclude)
    if sites is not None:
        enrolments = enrolments.filter(site__name__in=sites)
    for word in words[:4]:
        enrolments = enrolments.filter(
            Q(child__first_name__icontains=word) | Q(child__last_name__icontains=word)
        )
    return list(
        enrolments.select_related("child", "site").order_by(
            "child__last_name", "child__first_name"
        )[:SEARCH_LIMIT]
    )


def known_sites(sites: list[str] | None) -> list[str]:
    """The sites an agent chooses from: a facilitator's own, or the town's list."""
    if sites is not None:
        return sorted(sites)
    return list(Site.objects.order_by("name").values_list("name", flat=True))
