""" "Valider" on a prepaid cart: places held, a payment created, the family sent to the demo
bank; the bank's notification then books, invoices and settles once — or releases."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from espacefamille.billing.models import CreditNote, Invoice, Settlement, SettlementMethod
from espacefamille.billing.selectors import household_invoices
from espacefamille.bookings.models import Booking, BookingStatus, CartLine, PlaceHold, ProductDay
from espacefamille.payments.checkout import payments_expire
from espacefamille.payments.models import (
    NotificationChannel,
    NotificationOutcome,
    PaymentNotification,
    PaymentState,
)
from espacefamille.payments.notifications import notification_receive

from ..bookings.conftest import Setup
from .conftest import (
    BASE_URL,
    TWENTY_FOUR,
    WED_18,
    WED_25,
    bank_params,
    checkout,
    fill_wednesdays,
    notification,
)

pytestmark = pytest.mark.django_db


def notify(provider, query: str):  # type: ignore[no-untyped-def]
    return notification_receive(
        config=provider,
        query_string=query,
        channel=NotificationChannel.NOTIFICATION,
        base_url=BASE_URL,
    )


def taken(setup: Setup, day) -> int:  # type: ignore[no-untyped-def]
    row = ProductDay.objects.filter(product=setup.p("MERCREDI JOURNEE"), date=day).first()
    return row.taken if row else 0


def test_checkout_holds_the_places_and_sends_to_the_demo_bank(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    result = checkout(setup)
    payment = result.payment
    assert payment is not None and payment.state == PaymentState.PENDING
    assert payment.total == payment.amount == TWENTY_FOUR
    assert result.redirect_url.startswith("http://testserver/paiement/banque-demo/?")
    params = bank_params(result.redirect_url)
    assert params["transaction_id"] == payment.transaction_id
    assert params["orderid"] == payment.reference and params["amount"] == "24.00"
    assert PlaceHold.objects.filter(reference=payment.reference).count() == 2
    assert taken(setup, WED_18) == 1 and taken(setup, WED_25) == 1
    assert CartLine.objects.count() == 2  # the cart is intact until paid
    assert not Booking.objects.exists()


def test_paid_notification_books_invoices_and_settles(
    setup: Setup, provider, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    with django_capture_on_commit_callbacks(execute=True):
        received = notify(provider, notification(payment, ok="1"))
    assert received.ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and payment.paid_at is not None
    bookings = Booking.objects.filter(child=setup.paul)
    assert {booking.date for booking in bookings} == {WED_18, WED_25}
    assert {booking.status for booking in bookings} == {BookingStatus.VALIDATED}
    assert not PlaceHold.objects.exists() and not CartLine.objects.exists()
    assert taken(setup, WED_18) == 1  # the hold became the booking: net change 0
    invoice = Invoice.objects.get()
    assert payment.invoice == invoice and invoice.total == TWENTY_FOUR
    assert invoice.number.startswith("2026-AM-")
    assert sum(line.amount for line in invoice.lines.all()) == invoice.total
    (settlement,) = Settlement.objects.all()
    assert settlement.method == SettlementMethod.ONLINE and settlement.amount == TWENTY_FOUR
    assert [
        row.invoice for row in household_invoices(household=setup.family.household, paid=True)
    ] == [invoice]
    receipt = next(message for message in mail.outbox if payment.reference in message.subject)
    assert invoice.number in receipt.body and "24,00" in receipt.body


def test_a_repeated_notification_answers_success_and_changes_nothing(
    setup: Setup, provider
) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    query = notification(payment, ok="1")
    assert notify(provider, query).ok
    for _attempt in range(3):
        assert notify(provider, query).ok
    assert Booking.objects.count() == 2 and Invoice.objects.count() == 1
    assert Settlement.objects.count() == 1
    outcomes = list(PaymentNotification.objects.values_list("outcome", flat=True))
    assert outcomes == [NotificationOutcome.APPLIED] + [NotificationOutcome.REPEATED] * 3


@pytest.mark.parametrize(
    "change",
    [
        {"signed": None},  # not signed
        {"amount": "0.01"},
        {"amount": "24.01"},
        {"orderid": "EFFORGED"},
        {"transaction_id": "unknown"},
    ],
)
def test_a_forged_or_mismatching_notification_changes_nothing(
    setup: Setup, provider, change
) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    received = notify(provider, notification(payment, ok="1", **change))
    assert not received.ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert not Booking.objects.exists() and not Invoice.objects.exists()
    assert PlaceHold.objects.count() == 2
    notice = PaymentNotification.objects.get()
    assert notice.outcome == NotificationOutcome.REJECTED and notice.raw


def test_refused_releases_the_places_and_keeps_the_cart(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    assert notify(provider, notification(payment, reason="refused")).ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.REFUSED
    assert not Booking.objects.exists() and not PlaceHold.objects.exists()
    assert taken(setup, WED_18) == 0
    assert CartLine.objects.count() == 2


def test_a_late_refusal_never_undoes_paid(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    assert notify(provider, notification(payment, ok="1")).ok
    assert notify(provider, notification(payment, reason="refused")).ok
    assert notify(provider, notification(payment, reason="cancelled")).ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert Booking.objects.filter(status=BookingStatus.VALIDATED).count() == 2


def test_an_expired_hold_frees_its_places_and_the_payment_answers_expired(
    setup: Setup, provider
) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=21), tick=False):
        assert payments_expire(household=setup.family.household) == 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.EXPIRED
    assert not PlaceHold.objects.exists() and taken(setup, WED_18) == 0
    assert CartLine.objects.count() == 2


def test_paid_after_expiry_with_the_place_gone_becomes_a_credit(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup, (WED_18,))
    payment = checkout(setup).payment
    product = setup.p("MERCREDI JOURNEE")
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=21), tick=False):
        payments_expire(household=setup.family.household)
        product.capacity = 0
        product.save(update_fields=["capacity"])
        assert notify(provider, notification(payment, ok="1")).ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID  # the money was taken: the bank wins
    assert not Booking.objects.exists() and not Invoice.objects.exists()
    note = CreditNote.objects.get()
    assert note.amount == Decimal("12.00") and note.service == setup.wednesday
    assert "avoir" in payment.outcome


def test_a_credit_is_used_first_and_may_cover_everything(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    from espacefamille.billing.credits import credit_note_issue

    credit_note_issue(
        household=setup.family.household, service=setup.wednesday, amount=Decimal("30"), reason="x"
    )
    fill_wednesdays(setup)
    result = checkout(setup)
    payment = result.payment
    assert result.redirect_url == ""
    assert payment.state == PaymentState.PAID and payment.amount == 0
    assert payment.credit_used == TWENTY_FOUR
    assert Booking.objects.count() == 2
    invoice = Invoice.objects.get()
    assert [
        settlement.method for settlement in Settlement.objects.filter(allocations__invoice=invoice)
    ] == [SettlementMethod.CREDIT]


def test_a_partial_credit_lowers_the_amount_asked(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    from espacefamille.billing.credits import credit_note_issue

    credit_note_issue(
        household=setup.family.household, service=setup.wednesday, amount=Decimal("5"), reason="x"
    )
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    assert payment.amount == Decimal("19.00") and payment.credit_used == Decimal("5.00")
    assert notify(provider, notification(payment, ok="1")).ok
    invoice = Invoice.objects.get()
    assert sorted(allocation.amount for allocation in invoice.allocations.all()) == [
        Decimal("5.00"),
        Decimal("19.00"),
    ]


def test_paid_after_expiry_with_the_place_still_free_books(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=21), tick=False):
        payments_expire(household=setup.family.household)
        assert notify(provider, notification(payment, ok="1")).ok
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert Booking.objects.filter(status=BookingStatus.VALIDATED).count() == 2
    assert Invoice.objects.count() == 1 and not CreditNote.objects.exists()
    assert taken(setup, WED_18) == 1


def test_a_late_paid_for_an_abandoned_attempt_never_books_twice(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    first = checkout(setup).payment
    second = checkout(setup).payment  # "Valider" again: the first attempt is abandoned
    first.refresh_from_db()
    assert first.state == PaymentState.CANCELLED
    assert notify(provider, notification(first, ok="1")).ok
    assert notify(provider, notification(second, ok="1")).ok
    assert Booking.objects.filter(status=BookingStatus.VALIDATED).count() == 2
    assert Invoice.objects.count() == 1
    assert CreditNote.objects.get().amount == TWENTY_FOUR  # the second payment, kept as credit
    assert taken(setup, WED_18) == 1 and not PlaceHold.objects.exists()
