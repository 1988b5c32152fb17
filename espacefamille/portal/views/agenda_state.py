"""What the week view shows — service, child, first week, number of weeks — read from GET or
POST parameters. Unknown or foreign ids answer 404; a bad week falls back to the current one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.http import Http404, QueryDict
from django.urls import reverse

from espacefamille.bookings.selectors import MAX_WEEKS, household_enrollment_rows
from espacefamille.catalog.models import Enrollment, Service
from espacefamille.core.bounds import parse_day, parse_id
from espacefamille.core.dates import monday_of
from espacefamille.households.models import Child, Household
from espacefamille.households.sharing import household_children

# Weeks further than this from today are not shown (and never reach the date arithmetic).
WEEK_RANGE = timedelta(days=800)


def parse_int(value: str | None) -> int | None:
    return parse_id(value)


def parse_iso(value: str | None) -> date | None:
    return parse_day((value or "").strip()[:10])


def default_monday(today: date) -> date:
    """The current week; on Saturday and Sunday, the coming one."""
    if today.weekday() >= 5:
        return monday_of(today + timedelta(days=7))
    return monday_of(today)


def in_range(day: date, today: date) -> bool:
    return abs(day - today) <= WEEK_RANGE


@dataclass
class AgendaState:
    services: list[Service]
    service: Service | None
    children: list[Child]
    child: Child | None
    monday: date
    weeks: int
    today: date
    enrollments: list[Enrollment] = field(default_factory=list)  # the child's, in the service
    classes: dict[int, str] = field(default_factory=dict)  # child id → class, for the picker

    def params(self, monday: date | None = None) -> dict[str, str]:
        params: dict[str, str] = {}
        if self.service is not None:
            params["service"] = str(self.service.pk)
        if self.child is not None:
            params["enfant"] = str(self.child.pk)
        params["semaine"] = (monday or self.monday).isoformat()
        if self.weeks != 1:
            params["semaines"] = str(self.weeks)
        return params

    @property
    def query(self) -> str:
        return urlencode(self.params())

    def url(self, monday: date | None = None, anchor: str = "") -> str:
        url = f"{reverse('portal:agenda')}?{urlencode(self.params(monday))}"
        return f"{url}#{anchor}" if anchor else url

    @property
    def previous_url(self) -> str:
        return self.url(self.monday - timedelta(weeks=self.weeks))

    @property
    def next_url(self) -> str:
        return self.url(self.monday + timedelta(weeks=self.weeks))

    @property
    def today_url(self) -> str:
        return self.url(default_monday(self.today))


def resolve(
    *, household: Household, params: QueryDict, today: date, strict: bool = False
) -> AgendaState:
    """``strict`` (a click on a cell): the child given must be enrolled in the service. One
    query reads every enrolment of the household: services, child tabs and the enrolments
    the rules need come from it."""
    rows = household_enrollment_rows(household=household)
    services = list({row.service_id: row.service for row in rows}.values())
    service = services[0] if services else None
    if "service" in params:
        wanted = parse_int(params.get("service"))
        service = next((s for s in services if s.pk == wanted), None)
        if service is None:
            raise Http404
    children = (
        list({r.child_id: r.child for r in rows if r.service_id == service.pk}.values())
        if service
        else []
    )
    child = children[0] if children else None
    if strict and "enfant" not in params:
        raise Http404
    if "enfant" in params:
        wanted = parse_int(params.get("enfant"))
        child = next((c for c in children if c.pk == wanted), None)
        if child is None:
            if strict or wanted is None:
                raise Http404
            if not household_children(household).filter(pk=wanted).exists():
                raise Http404
            child = children[0] if children else None  # a sibling not enrolled in this service
    monday = default_monday(today)
    wanted_day = parse_iso(params.get("semaine"))
    if wanted_day is not None and in_range(wanted_day, today):
        monday = monday_of(wanted_day)
    weeks = parse_int(params.get("semaines")) or 1
    return AgendaState(
        services=services,
        service=service,
        children=children,
        child=child,
        monday=monday,
        weeks=max(1, min(weeks, MAX_WEEKS)),
        today=today,
        enrollments=[
            r
            for r in rows
            if service and child and (r.service_id, r.child_id) == (service.pk, child.pk)
        ],
        classes=_classes(rows, service, monday),
    )


def _classes(rows: list[Enrollment], service: Service | None, monday: date) -> dict[int, str]:
    """Each child's class in the service: the enrolment of the week shown, else the latest."""
    found: dict[int, tuple[bool, date, str]] = {}
    for row in rows:
        if service is None or row.service_id != service.pk or not row.school_class:
            continue
        key = (row.start_date <= monday <= row.end_date, row.start_date, row.school_class)
        if row.child_id not in found or key > found[row.child_id]:
            found[row.child_id] = key
    return {child_id: key[2] for child_id, key in found.items()}


def return_url(params: QueryDict) -> str:
    """Back to the week view a form was posted from (only well-formed values are kept)."""
    kept: dict[str, str] = {}
    for name in ("service", "enfant", "semaines"):
        value = parse_int(params.get(name))
        if value is not None:
            kept[name] = str(value)
    day = parse_iso(params.get("semaine"))
    if day is not None:
        kept["semaine"] = day.isoformat()
    url = reverse("portal:agenda")
    return f"{url}?{urlencode(kept)}" if kept else url
