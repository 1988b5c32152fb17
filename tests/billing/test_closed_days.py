"""Issue 16, item 2: a month is invoiced for good only once it is over, and a day of a final
run is closed to agents' bookings and attendance (the run would never bill them). Item 3's
rule on the service side: an empty draft is not finalized. "Today" is frozen: 6 December
2026, a Sunday, as when the trap was found."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from espacefamille.attendance.taps import attendance_tap
from espacefamille.billing.closed_days import (
    day_is_invoiced,
    month_is_over,
    month_refusal,
)
from espacefamille.billing.errors import BillingError
from espacefamille.billing.models import Invoice, InvoiceRun, RunState
from espacefamille.billing.runs import invoice_run_draft, invoice_run_finalize
from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.bookings.models import Attendance, Booking
from espacefamille.catalog.models import Enrollment
from espacefamille.core.tenancy import municipality_scope
from espacefamille.counter.agent_bookings import booking_create_for_family

from .conftest import OCTOBER, Billing

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DECEMBER = date(2026, 12, 1)


@pytest.fixture
def sunday_6_december() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 12, 6, 10, 0, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def in_scope(billing: Billing, sunday_6_december: None) -> Iterator[Billing]:
    with municipality_scope(billing.town):
        yield billing


def test_a_month_is_over_the_day_after_its_last_day() -> None:
    assert not month_is_over(DECEMBER, today=date(2026, 12, 31))
    assert month_is_over(DECEMBER, today=date(2027, 1, 1))
    assert month_is_over(date(2026, 2, 1), today=date(2026, 3, 1))


def test_which_months_may_be_invoiced_on_6_december() -> None:
    today = date(2026, 12, 6)
    assert month_refusal(date(2026, 11, 1), final=True, today=today) is None
    assert month_refusal(DECEMBER, final=False, today=today) is None
    assert "n'est pas terminé" in str(month_refusal(DECEMBER, final=True, today=today))
    for final in (False, True):
        refusal = month_refusal(date(2027, 1, 1), final=final, today=today)
        assert "01/2027" in str(refusal) and "à venir" in str(refusal)


def test_the_current_month_is_drafted_but_never_finalized(in_scope: Billing) -> None:
    in_scope.book(in_scope.paul, "REPAS", 1, 3, month=12)
    run = invoice_run_draft(service=in_scope.restaurant, month=DECEMBER)
    assert run.state == RunState.DRAFT and run.invoice_count == 1
    with pytest.raises(BillingError, match="12/2026 n'est pas terminé"):
        invoice_run_finalize(run=run, notify=False)
    run.refresh_from_db()
    assert run.state == RunState.DRAFT
    assert Invoice.objects.get(run=run).number == ""


def test_a_month_to_come_is_not_even_drafted(in_scope: Billing) -> None:
    with pytest.raises(BillingError, match="01/2027"):
        invoice_run_draft(service=in_scope.restaurant, month=date(2027, 1, 1))
    assert not InvoiceRun.objects.filter(month=date(2027, 1, 1)).exists()


def test_an_invoice_is_not_issued_before_its_month_ends(in_scope: Billing) -> None:
    in_scope.book(in_scope.paul, "REPAS", 1, month=11)
    run = invoice_run_draft(service=in_scope.restaurant, month=date(2026, 11, 1))
    with pytest.raises(BillingError, match="avant sa fin"):
        invoice_run_finalize(run=run, issued_on=date(2026, 11, 20), notify=False)


def test_an_empty_draft_is_not_finalized(in_scope: Billing) -> None:
    run = invoice_run_draft(service=in_scope.restaurant, month=date(2026, 9, 1))
    assert run.invoice_count == 0
    with pytest.raises(BillingError, match="aucune facture"):
        invoice_run_finalize(run=run, notify=False)
    run.refresh_from_db()
    assert run.state == RunState.DRAFT


def _final_october(billing: Billing) -> InvoiceRun:
    """Paul, enrolled at the canteen, ate on 1 and 2 October, invoiced for good."""
    Enrollment.objects.create(
        municipality=billing.town,
        child=billing.paul,
        service=billing.restaurant,
        school_year=2026,
        start_date=date(2026, 9, 1),
        end_date=date(2027, 7, 3),
    )
    billing.book(billing.paul, "REPAS", 1, 2)
    billing.attend(billing.paul, "REPAS", "present", 1, 2)
    return invoice_run_finalize(
        run=invoice_run_draft(service=billing.restaurant, month=OCTOBER), notify=False
    )


def test_an_agent_cannot_book_a_day_of_a_final_run(in_scope: Billing) -> None:
    _final_october(in_scope)
    day = date(2026, 10, 6)
    assert day_is_invoiced(municipality=in_scope.town, service=in_scope.restaurant, day=day)
    with pytest.raises(BookingError) as refused:
        booking_create_for_family(
            child=in_scope.paul, product=in_scope.p("REPAS"), day=day, actor=None, reason="oubli"
        )
    assert refused.value.reason == Reason.INVOICED
    assert "Restaurant scolaire 10/2026" in refused.value.message
    assert "avoir" in refused.value.message
    assert not Booking.objects.filter(date=day).exists()


def test_a_day_of_a_draft_or_of_another_regie_stays_open(in_scope: Billing) -> None:
    _final_october(in_scope)
    assert not day_is_invoiced(
        municipality=in_scope.town, service=in_scope.daycare, day=date(2026, 10, 6)
    )
    in_scope.book(in_scope.paul, "REPAS", 2, month=11)
    invoice_run_draft(service=in_scope.restaurant, month=date(2026, 11, 1))
    assert not day_is_invoiced(
        municipality=in_scope.town, service=in_scope.restaurant, day=date(2026, 11, 2)
    )


def test_attendance_of_a_day_of_a_final_run_is_refused(in_scope: Billing) -> None:
    _final_october(in_scope)
    with pytest.raises(BookingError) as refused:
        attendance_tap(
            child=in_scope.paul,
            product=in_scope.p("REPAS"),
            day=date(2026, 10, 2),
            action="absent",
            tap_id=uuid.uuid4(),
            tapped_at=None,
            actor=None,
            sites=None,
        )
    assert "facturation définitive Restaurant scolaire 10/2026" in refused.value.message
    attendance = Attendance.objects.get(child=in_scope.paul, date=date(2026, 10, 2))
    assert attendance.state == "present"
    run = InvoiceRun.objects.get(month=OCTOBER)
    assert run.total == Decimal("7.00")
