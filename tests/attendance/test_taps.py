"""A tap on the attendance sheet: applied once whatever the number of deliveries, never undone
by an older tap arriving late, refused for a day to come or a child outside the service, and
written to the action log once per applied tap; the sheet reads a day in a fixed number of
queries."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from espacefamille.attendance.sheet import attendance_sheet, enrolled_children
from espacefamille.attendance.taps import attendance_tap
from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Attendance, AttendanceState, Booking, BookingStatus
from espacefamille.catalog.deadlines import PARIS
from espacefamille.catalog.models import Enrollment
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import AuthorizedPickup, Child, Diet

from ..bookings.conftest import MON_09, NOW, THU_12, Setup
from ..factories import ChildFactory, site_named

pytestmark = pytest.mark.django_db

EARLY = datetime(2026, 11, 9, 11, 30, tzinfo=PARIS)


def _book(setup: Setup, child: Child, product_name: str = "REPAS") -> None:
    bookings_record_history(
        bookings=[
            Booking(
                municipality_id=child.municipality_id,
                child=child,
                product=setup.p(product_name),
                date=MON_09,
                status=BookingStatus.VALIDATED,
            )
        ]
    )


def _tap(
    setup: Setup,
    child: Child,
    action: str,
    *,
    tap_id: uuid.UUID | None = None,
    at: datetime = EARLY,
    sites: list[str] | None = None,
    day=MON_09,  # type: ignore[no-untyped-def]
):  # type: ignore[no-untyped-def]
    return attendance_tap(
        child=child,
        product=setup.p("REPAS"),
        day=day,
        action=action,
        tap_id=tap_id or uuid.uuid4(),
        tapped_at=at,
        actor=None,
        sites=sites,
    )


def _state(setup: Setup, child: Child) -> str:
    return Attendance.objects.get(child=child, product=setup.p("REPAS"), date=MON_09).state


@pytest.fixture
def booked(setup: Setup):  # type: ignore[no-untyped-def]
    with municipality_scope(setup.paul.municipality):
        _book(setup, setup.paul)
        yield setup


def test_the_same_tap_twice_is_applied_once(booked: Setup) -> None:
    tap = uuid.uuid4()
    first = _tap(booked, booked.paul, "absent", tap_id=tap)
    again = _tap(booked, booked.paul, "absent", tap_id=tap, at=EARLY + timedelta(minutes=5))
    assert (first.applied, again.applied) == (True, False)
    assert _state(booked, booked.paul) == AttendanceState.ABSENT
    assert ActionLogEntry.objects.filter(action="attendance.record").count() == 1


def test_a_replayed_tap_does_not_undo_a_later_one(booked: Setup) -> None:
    """Present at 11:30 then absent at 11:35: the 11:30 tap delivered again (a replay whose
    answer was lost) changes nothing."""
    present = uuid.uuid4()
    _tap(booked, booked.paul, "present", tap_id=present, at=EARLY)
    _tap(booked, booked.paul, "absent", at=EARLY + timedelta(minutes=5))
    replay = _tap(booked, booked.paul, "present", tap_id=present, at=EARLY)
    assert not replay.applied
    assert _state(booked, booked.paul) == AttendanceState.ABSENT


def test_taps_out_of_order_converge_on_the_latest(booked: Setup) -> None:
    """The queue of a tablet reaching the server in the wrong order ends as in the right one."""
    later = _tap(booked, booked.paul, "justified", at=EARLY + timedelta(minutes=10))
    earlier = _tap(booked, booked.paul, "present", at=EARLY)
    assert (later.applied, earlier.applied) == (True, False)
    assert earlier.attendance.state == AttendanceState.JUSTIFIED
    assert _state(booked, booked.paul) == AttendanceState.JUSTIFIED
    assert ActionLogEntry.objects.filter(action="attendance.record").count() == 1


def test_a_tablet_clock_ahead_cannot_block_the_next_taps(booked: Setup) -> None:
    _tap(booked, booked.paul, "absent", at=NOW + timedelta(hours=3))
    assert _tap(booked, booked.paul, "present", at=NOW).applied
    assert _state(booked, booked.paul) == AttendanceState.PRESENT


def test_every_applied_tap_is_in_the_action_log_without_health_data(booked: Setup) -> None:
    _tap(booked, booked.paul, "present", at=EARLY)
    _tap(booked, booked.paul, "absent", at=EARLY + timedelta(minutes=1))
    entries = list(ActionLogEntry.objects.filter(action="attendance.record").order_by("pk"))
    assert [entry.changes["state"] for entry in entries] == [
        ["", "present"],
        ["present", "absent"],
    ]
    assert all("PAI" not in entry.object_repr for entry in entries)


def test_a_child_without_booking_is_present_unbooked_if_enrolled(booked: Setup) -> None:
    assert _tap(booked, booked.julie, "present").attendance.state == (
        AttendanceState.PRESENT_UNBOOKED
    )
    stranger = ChildFactory(household=booked.family.household, first_name="Zoé")
    with pytest.raises(BookingError, match="pas inscrit"):
        _tap(booked, stranger, "present")
    assert not Attendance.objects.filter(child=stranger).exists()


def test_a_day_to_come_is_refused(booked: Setup) -> None:
    with pytest.raises(BookingError, match="jour à venir"):
        _tap(booked, booked.paul, "present", day=THU_12)
    assert not Attendance.objects.exists()


def test_an_unknown_action_is_refused(booked: Setup) -> None:
    with pytest.raises(BookingError):
        _tap(booked, booked.paul, "late")


def test_a_facilitator_cannot_point_another_sites_child(booked: Setup) -> None:
    Enrollment.objects.filter(child=booked.paul).update(
        site=site_named(booked.paul.municipality_id, "École A")
    )
    with pytest.raises(BookingError) as refused:
        _tap(booked, booked.paul, "present", sites=["École B"])
    assert refused.value.reason == Reason.NOT_IN_AGENT_SITES
    assert refused.value.status == 404
    assert _tap(booked, booked.paul, "present", sites=["École A"]).applied


def test_the_sheet_lists_the_expected_children_with_what_the_facilitator_needs(
    booked: Setup,
) -> None:
    town = booked.paul.municipality
    diet, _created = Diet.objects.get_or_create(municipality=town, label="Sans porc")
    booked.paul.diets.set([diet], through_defaults={"municipality": town})
    Child.objects.filter(pk=booked.paul.pk).update(has_care_plan=True)
    AuthorizedPickup.objects.create(
        municipality=town,
        household=booked.family.household,
        last_name="DUPONT",
        first_name="Pierre",
        phone="+33606060606",
    )
    Enrollment.objects.filter(child=booked.paul).update(
        site=site_named(town, "École A"), school_class="CP"
    )
    _tap(booked, booked.julie, "present")
    sheet = attendance_sheet(product=booked.p("REPAS"), day=MON_09, sites=None)
    paul, julie = sorted(sheet.lines, key=lambda line: line.child.first_name != "Paul")
    assert (paul.booked, paul.school_class, paul.site, paul.diets) == (
        True,
        "CP",
        "École A",
        ["Sans porc"],
    )
    assert paul.child.has_care_plan and [p.first_name for p in paul.pickups] == ["Pierre"]
    assert (julie.booked, julie.pressed) == (False, "present")
    only_a = attendance_sheet(product=booked.p("REPAS"), day=MON_09, sites=["École A"])
    assert [line.child.pk for line in only_a.lines] == [booked.paul.pk]
    assert attendance_sheet(product=booked.p("REPAS"), day=MON_09, sites=[]).lines == []


def test_the_search_finds_enrolled_children_not_on_the_sheet(booked: Setup) -> None:
    found = enrolled_children(
        product=booked.p("REPAS"),
        day=MON_09,
        sites=None,
        query=booked.julie.first_name,
        exclude={booked.paul.pk},
    )
    assert [enrolment.child_id for enrolment in found] == [booked.julie.pk]
    assert (
        enrolled_children(
            product=booked.p("REPAS"), day=MON_09, sites=["Ailleurs"], query="Julie", exclude=set()
        )
        == []
    )


def test_the_sheet_reads_a_day_in_a_fixed_number_of_queries(
    booked: Setup,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    household = booked.family.household
    for index in range(15):
        child = ChildFactory(household=household, first_name=f"Enfant{index}")
        Enrollment.objects.create(
            municipality=household.municipality,
            child=child,
            service=booked.restaurant,
            school_year=2026,
            start_date=MON_09 - timedelta(days=60),
            end_date=MON_09 + timedelta(days=200),
            site=site_named(household.municipality_id, "École A"),
        )
        _book(booked, child)
        _tap(booked, child, "present")
    with django_assert_max_num_queries(6):
        sheet = attendance_sheet(product=booked.p("REPAS"), day=MON_09, sites=None)
        for line in sheet.lines:
            assert line.child.household_id and line.pressed in (None, "present")
    assert len(sheet.lines) == 16


def test_a_tap_on_a_month_invoiced_for_good_is_refused_with_the_credit_note_way(
    booked: Setup,
) -> None:
    """Issue 16, items 2 and 4: once the month is invoiced for good, a change of attendance no
    longer reaches the invoices sent; the agent is told that a correction is a credit note,
    and nothing changes."""
    from espacefamille.billing.models import InvoiceRun, RunState

    _tap(booked, booked.paul, "present")
    InvoiceRun.objects.create(
        municipality_id=booked.paul.municipality_id,
        service=booked.restaurant,
        month=MON_09.replace(day=1),
        state=RunState.FINAL,
    )
    with pytest.raises(BookingError) as refused:
        _tap(booked, booked.paul, "absent")
    assert "avoir" in str(refused.value)
    assert _state(booked, booked.paul) == AttendanceState.PRESENT
