"""An exceptional closure: the preview, then one transaction that cancels the days' bookings as
"Annulée — fermeture (grève)", gives the paid day's credit, frees the ledger, tells the family
(real SMTP, console SMS) and leaves nothing to bill; re-opening books nobody back; the
``close_days`` command with ``--dry-run``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from espacefamille.audit.models import ActionLogEntry
from espacefamille.billing.models import CreditNote, InvoiceLine
from espacefamille.billing.runs import invoice_run_draft
from espacefamille.bookings.agenda import CellState, week_grid
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.ledger_check import ledger_differences
from espacefamille.bookings.models import Booking, BookingStatus, ProductDay
from espacefamille.catalog.models import Closure, ClosureKind
from espacefamille.counter.closing import (
    ClosureRequest,
    closure_declare,
    closure_preview,
    closure_reopen,
)
from espacefamille.counter.errors import CounterError
from espacefamille.notifications import sms
from espacefamille.notifications.models import Delivery, DeliveryStatus
from espacefamille.payments.cancellations import cart_validate
from espacefamille.payments.models import (
    CancellationOutcome,
    CancellationRule,
    NotificationChannel,
)
from espacefamille.payments.notifications import notification_receive

from ..bookings.conftest import Setup
from ..e2e.conftest import Inbox, text_of
from ..payments.conftest import BASE_URL, WED_25, checkout, notification

pytestmark = pytest.mark.django_db

THU_26 = date(2026, 11, 26)
STRIKE = ClosureRequest(start=WED_25, end=THU_26, kind=ClosureKind.STRIKE)


def _book(setup: Setup, provider: Any) -> None:
    """Paul: MERCREDI JOURNEE on Wednesday 25 paid online (credit on cancellation), REPAS on
    Thursday 26 for both children (postpaid)."""
    CancellationRule.objects.create(
        municipality=setup.wednesday.municipality,
        service=setup.wednesday,
        outcome=CancellationOutcome.CREDIT,
    )
    household = setup.family.household
    cart_toggle(
        household=household, child=setup.paul, product=setup.p("MERCREDI JOURNEE"), day=WED_25
    )
    received = notification_receive(
        config=provider,
        query_string=notification(checkout(setup).payment, ok="1"),
        channel=NotificationChannel.NOTIFICATION,
        base_url=BASE_URL,
    )
    assert received.ok
    for child in (setup.paul, setup.julie):
        cart_toggle(household=household, child=child, product=setup.p("REPAS"), day=THU_26)
    assert cart_validate(household=household, user=setup.family.user).ok
    guardian = household.guardians.first()
    guardian.mobile_phone = "+33612345678"
    guardian.save()


def test_preview_says_what_the_closure_will_do_and_writes_nothing(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    _book(setup, provider)
    town = setup.family.household.municipality
    preview = closure_preview(municipality=town, request=STRIKE)
    assert preview.lines()[0] == "3 réservation(s) de 1 famille(s) seront annulées"
    assert preview.credits == Decimal("12.00")
    assert "12 € d'avoirs" in preview.lines()
    assert not Closure.objects.exists()
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 0


def test_a_strike_cancels_credits_tells_and_bills_nothing(  # type: ignore[no-untyped-def]
    setup: Setup,
    provider,
    smtp: Inbox,
    django_capture_on_commit_callbacks,
) -> None:
    _book(setup, provider)
    town = setup.family.household.municipality
    taken_before = ProductDay.objects.get(product=setup.p("MERCREDI JOURNEE"), date=WED_25).taken
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        declared = closure_declare(municipality=town, request=STRIKE, actor=None)
    assert (declared.cancelled, declared.households) == (3, 1)
    bookings = Booking.objects.filter(date__in=[WED_25, THU_26]).select_related("child", "product")
    assert {b.status_label for b in bookings} == {"Annulée — fermeture (grève)"}
    assert CreditNote.objects.get().amount == Decimal("12.00")
    after = ProductDay.objects.get(product=setup.p("MERCREDI JOURNEE"), date=WED_25).taken
    assert after == taken_before - 1
    assert ledger_differences() == []
    message = smtp.wait_for(lambda m: m["To"] == setup.family.user.email)
    body = text_of(message)
    assert "fermeture" in body and "25/11/2026" in body and "grève" in body
    assert "Gestion du foyer" in body  # how to change what one receives
    assert [m["to"] for m in sms.outbox] == ["+33612345678"]
    assert "Fermeture" in sms.outbox[0]["text"]
    assert set(Delivery.objects.values_list("channel", "status")) == {
        ("email", DeliveryStatus.SENT),
        ("sms", DeliveryStatus.SENT),
    }
    assert ActionLogEntry.objects.filter(action="booking.closure_cancel").count() == 3
    assert ActionLogEntry.objects.filter(action="closure.declare").count() == 1
    # The month's invoicing bills neither day.
    invoice_run_draft(service=setup.restaurant, month=date(2026, 11, 1))
    assert not InvoiceLine.objects.filter(date=THU_26, invoice__run__isnull=False).exists()


def test_the_agenda_shows_the_closure_and_reopening_books_nobody_back(
    setup: Setup, provider
) -> None:  # type: ignore[no-untyped-def]
    _book(setup, provider)
    household = setup.family.household
    declared = closure_declare(municipality=household.municipality, request=STRIKE, actor=None)
    monday = date(2026, 11, 23)
    rows = week_grid(household=household, child=setup.paul, service=setup.restaurant, monday=monday)
    repas = next(row for row in rows if row.product.name == "REPAS")
    cell = next(c for c in repas.cells if c.day == THU_26)
    assert cell.state == CellState.CLOSURE_CANCELLED
    assert cell.label == "Annulée — fermeture (grève)"
    closure_reopen(closure=declared.closure, actor=None)
    household.municipality.refresh_from_db()
    rows = week_grid(household=household, child=setup.paul, service=setup.restaurant, monday=monday)
    repas = next(row for row in rows if row.product.name == "REPAS")
    assert next(c for c in repas.cells if c.day == THU_26).state == CellState.BOOKABLE
    assert not Booking.objects.filter(date=THU_26, status=BookingStatus.VALIDATED).exists()


def test_a_site_closure_cancels_only_that_sites_children(setup: Setup) -> None:
    from espacefamille.catalog.models import Enrollment, Site

    town = setup.family.household.municipality
    north = Site.objects.create(municipality=town, name="École du Nord")
    Enrollment.objects.filter(child=setup.paul).update(site=north)
    for child in (setup.paul, setup.julie):
        cart_toggle(
            household=setup.family.household, child=child, product=setup.p("REPAS"), day=THU_26
        )
    assert cart_validate(household=setup.family.household, user=setup.family.user).ok
    request = ClosureRequest(start=THU_26, end=THU_26, kind=ClosureKind.WEATHER, sites=(north,))
    declared = closure_declare(municipality=town, request=request, actor=None)
    assert declared.cancelled == 1
    assert Booking.objects.get(child=setup.julie, date=THU_26).status == BookingStatus.VALIDATED


def test_a_past_day_or_a_reversed_range_is_refused(setup: Setup) -> None:
    town = setup.family.household.municipality
    with pytest.raises(CounterError):
        closure_preview(
            municipality=town,
            request=ClosureRequest(start=date(2026, 11, 9), end=date(2026, 11, 9), kind="greve"),
        )
    with pytest.raises(CounterError):
        closure_preview(
            municipality=town, request=ClosureRequest(start=THU_26, end=WED_25, kind="greve")
        )


def test_close_days_command_dry_run_writes_nothing_then_applies(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    _book(setup, provider)
    slug = setup.family.household.municipality.slug
    out = StringIO()
    args = [slug, "25/11/2026", "26/11/2026", "--reason", "greve"]
    call_command("close_days", *args, "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[0] == "3 réservation(s) de 1 famille(s) seront annulées"
    assert not Closure.objects.exists() and not Delivery.objects.exists()
    out = StringIO()
    call_command("close_days", *args, "--product", "REPAS", stdout=out)
    assert out.getvalue().splitlines()[0] == "2 réservation(s) de 1 famille(s) seront annulées"
    assert (
        Booking.objects.filter(status=BookingStatus.CANCELLED, closure__isnull=False).count() == 2
    )
