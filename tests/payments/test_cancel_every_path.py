"""A paid prepaid day (MERCREDI JOURNEE, 12,00 €) gives the same credit whoever cancels it:
the family's cart, an agent accepting a cancellation the régie approves, an agent at the
counter, a closure of the day, the cancel line of a cart paid online. Each path calls the
settlement itself (payments.cancellations); no signal carries the money."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from espacefamille.billing.models import CreditNote
from espacefamille.bookings import events
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.counter.agent_bookings import booking_cancel_for_family
from espacefamille.counter.closure_cancel import bookings_cancel_for_closure
from espacefamille.payments.cancellations import (
    booking_decide,
    cart_validate,
)
from espacefamille.payments.models import (
    CancellationOutcome,
    CancellationRule,
    NotificationChannel,
    RefundDue,
)
from espacefamille.payments.notifications import notification_receive

from ..backoffice.helpers import make_agent
from ..bookings.conftest import Setup
from .conftest import BASE_URL, WED_25, checkout, fill_wednesdays, notification

pytestmark = pytest.mark.django_db

WED_02 = date(2026, 12, 2)


def _pay(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    received = notification_receive(
        config=provider,
        query_string=notification(checkout(setup).payment, ok="1"),
        channel=NotificationChannel.NOTIFICATION,
        base_url=BASE_URL,
    )
    assert received.ok


def _wednesday(setup: Setup) -> Booking:
    return Booking.objects.get(date=WED_25, product=setup.p("MERCREDI JOURNEE"))


def by_the_family(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    household = setup.family.household
    cart_toggle(
        household=household, child=setup.paul, product=setup.p("MERCREDI JOURNEE"), day=WED_25
    )
    assert cart_validate(household=household, user=setup.family.user).ok


def by_an_approving_agent(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    setup.wednesday.cancellation_requires_approval = True
    setup.wednesday.save()
    by_the_family(setup, provider)
    assert _wednesday(setup).status == BookingStatus.CANCEL_REQUESTED
    assert not CreditNote.objects.exists()  # nothing given back before the agent accepts
    booking_decide(booking=_wednesday(setup), accept=True, actor=None)


def at_the_counter(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    booking_cancel_for_family(booking=_wednesday(setup), actor=None)


def at_the_counter_page(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    """The back office's "Annuler" on the day's list, as an agent clicks it."""
    agent = make_agent(setup.family.household.municipality, "administrator")
    url = f"/agents/reservations/{_wednesday(setup).pk}/annuler/"
    assert agent.client.post(url, {"reason": "au guichet"}).status_code == 302


def by_a_closure(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    cancelled = bookings_cancel_for_closure(
        bookings=[_wednesday(setup)], actor=None, reason="Grève"
    )
    assert len(cancelled) == 1


def in_a_paid_cart(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    """The cancel line waits in a prepaid cart with a new day, and is validated once paid."""
    fill_wednesdays(setup, (WED_25, WED_02))
    _pay(setup, provider)


PATHS: list[Callable[..., None]] = [
    by_the_family,
    by_an_approving_agent,
    at_the_counter,
    at_the_counter_page,
    by_a_closure,
    in_a_paid_cart,
]


@pytest.mark.parametrize("cancel", PATHS, ids=[path.__name__ for path in PATHS])
def test_a_paid_day_gives_the_same_credit_whoever_cancels_it(  # type: ignore[no-untyped-def]
    setup: Setup, provider, cancel: Callable[..., None]
) -> None:
    CancellationRule.objects.create(
        municipality=setup.wednesday.municipality,
        service=setup.wednesday,
        outcome=CancellationOutcome.CREDIT,
    )
    fill_wednesdays(setup)
    _pay(setup, provider)
    assert not CreditNote.objects.exists()
    cancel(setup, provider)
    assert _wednesday(setup).status == BookingStatus.CANCELLED
    note = CreditNote.objects.get()
    assert note.amount == Decimal("12.00") and note.invoice is not None
    assert "25/11/2026" in note.reason


@pytest.mark.parametrize("cancel", [at_the_counter, by_a_closure], ids=["counter", "closure"])
def test_a_refund_rule_owes_the_same_refund_at_the_counter_and_on_closure(  # type: ignore[no-untyped-def]
    setup: Setup, provider, cancel: Callable[..., None]
) -> None:
    CancellationRule.objects.create(
        municipality=setup.wednesday.municipality,
        service=setup.wednesday,
        outcome=CancellationOutcome.REFUND,
    )
    fill_wednesdays(setup)
    _pay(setup, provider)
    cancel(setup, provider)
    assert RefundDue.objects.get().amount == Decimal("12.00")


def test_no_signal_carries_a_cancellation() -> None:
    assert not hasattr(events, "bookings_cancelled")
