"""A prepaid booking cancelled within its deadline yields what its régie's rule says (credit,
refund owed, nothing); a mixed cart is validated as a whole when paid; the town sets how long
places are held; the provider form never shows a secret back."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from espacefamille.billing.balances import credit_balance
from espacefamille.billing.models import CreditNote
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Booking, BookingStatus, CartLine, PlaceHold
from espacefamille.payments.cancellations import cart_validate
from espacefamille.payments.forms import ProviderConfigForm
from espacefamille.payments.models import (
    CancellationOutcome,
    CancellationRule,
    NotificationChannel,
    PaymentSettings,
    PaymentState,
    RefundDue,
)
from espacefamille.payments.notifications import notification_receive

from ..bookings.conftest import THU_12, Setup
from .conftest import BASE_URL, WED_18, WED_25, checkout, fill_wednesdays, notification

pytestmark = pytest.mark.django_db


def pay(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    payment = checkout(setup).payment
    received = notification_receive(
        config=provider,
        query_string=notification(payment, ok="1"),
        channel=NotificationChannel.NOTIFICATION,
        base_url=BASE_URL,
    )
    assert received.ok


def cancel_wednesday(setup: Setup) -> None:
    product = setup.p("MERCREDI JOURNEE")
    household = setup.family.household
    cart_toggle(household=household, child=setup.paul, product=product, day=WED_25)
    assert cart_validate(household=household, user=None).ok
    assert Booking.objects.get(date=WED_25).status == BookingStatus.CANCELLED


def rule(setup: Setup, outcome: str) -> None:
    CancellationRule.objects.create(
        municipality=setup.wednesday.municipality, service=setup.wednesday, outcome=outcome
    )


def test_a_cancellation_gives_a_credit_used_first_on_the_next_cart(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    rule(setup, CancellationOutcome.CREDIT)
    fill_wednesdays(setup)
    pay(setup, provider)
    cancel_wednesday(setup)
    note = CreditNote.objects.get()
    assert note.amount == Decimal("12.00") and note.invoice is not None
    household = setup.family.household
    assert credit_balance(household=household, service=setup.wednesday) == Decimal("12.00")
    fill_wednesdays(setup, (WED_25,))
    result = checkout(setup)
    assert result.payment.state == PaymentState.PAID and result.payment.amount == 0
    assert credit_balance(household=household, service=setup.wednesday) == 0


def test_a_cancellation_may_owe_a_refund_by_the_treasury(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    rule(setup, CancellationOutcome.REFUND)
    fill_wednesdays(setup)
    pay(setup, provider)
    cancel_wednesday(setup)
    refund = RefundDue.objects.get()
    assert refund.amount == Decimal("12.00") and refund.refunded_at is None
    assert not CreditNote.objects.exists()


def test_without_a_rule_a_cancellation_gives_nothing(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    pay(setup, provider)
    cancel_wednesday(setup)
    assert not CreditNote.objects.exists() and not RefundDue.objects.exists()


def test_a_mixed_cart_is_validated_as_a_whole_when_paid(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup, (WED_18,))
    household = setup.family.household
    cart_toggle(household=household, child=setup.julie, product=setup.p("REPAS"), day=THU_12)
    payment = checkout(setup).payment
    assert payment.total == Decimal("12.00") and len(payment.cart_line_ids) == 1
    assert not Booking.objects.exists()  # the postpaid line waits for the payment
    pay_query = notification(payment, ok="1")
    notification_receive(
        config=provider,
        query_string=pay_query,
        channel=NotificationChannel.NOTIFICATION,
        base_url=BASE_URL,
    )
    assert sorted(Booking.objects.values_list("product__name", flat=True)) == [
        "MERCREDI JOURNEE",
        "REPAS",
    ]
    assert not CartLine.objects.exists()


def test_a_mixed_cart_whose_postpaid_line_fails_books_nothing_and_credits(
    setup: Setup, provider
) -> None:  # type: ignore[no-untyped-def]
    from espacefamille.catalog.models import Closure

    fill_wednesdays(setup, (WED_18,))
    household = setup.family.household
    cart_toggle(household=household, child=setup.julie, product=setup.p("REPAS"), day=THU_12)
    payment = checkout(setup).payment
    Closure.objects.create(
        municipality=household.municipality, start_date=THU_12, end_date=THU_12, reason="Grève"
    )
    notification_receive(
        config=provider,
        query_string=notification(payment, ok="1"),
        channel=NotificationChannel.NOTIFICATION,
        base_url=BASE_URL,
    )
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert not Booking.objects.exists() and not PlaceHold.objects.exists()
    assert CreditNote.objects.get().amount == Decimal("12.00")
    assert "avoir" in payment.outcome


def test_the_town_sets_how_long_places_are_held(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    PaymentSettings.objects.create(municipality=setup.wednesday.municipality, hold_minutes=5)
    fill_wednesdays(setup, (WED_18,))
    payment = checkout(setup).payment
    hold = PlaceHold.objects.get()
    assert hold.expires_at - hold.created_at <= timedelta(minutes=5, seconds=1)
    assert payment.hold_expires_at == hold.expires_at


def test_the_provider_form_keeps_secrets_it_is_not_given(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    provider.options = {"secret_test": "1122334455667788", "site_id": "1"}
    provider.save()
    form = ProviderConfigForm(
        data={"backend": "systempayv2", "is_active": "on", "new_options": '{"site_id": "2"}'},
        instance=provider,
    )
    assert form.is_valid(), form.errors
    assert "1122334455667788" not in str(form)
    saved = form.save()
    assert saved.options == {"secret_test": "1122334455667788", "site_id": "2"}
