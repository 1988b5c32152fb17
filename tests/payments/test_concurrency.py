"""Races on PostgreSQL, with threads (each its own connection) released by a barrier:
the same notification delivered ten times at once settles once, and families holding the
last places of a day never hold more than there are. SQLite serializes writers by its
IMMEDIATE transactions and shares one in-memory connection here: skipped there."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from espacefamille.billing.models import Invoice, Settlement
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.errors import BookingError
from espacefamille.bookings.models import Booking, PlaceHold, ProductDay
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import enroll_all
from espacefamille.payments.checkout import cart_checkout
from espacefamille.payments.models import (
    NotificationChannel,
    NotificationOutcome,
    PaymentNotification,
    PaymentState,
)
from espacefamille.payments.notifications import notification_receive

from ..bookings.conftest import Setup
from ..conftest import make_family
from ..factories import ChildFactory
from .conftest import BASE_URL, WED_18, checkout, fill_wednesdays, notification

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a race needs PostgreSQL's connections"
    ),
]

THREADS = 10


def together(count: int, work: Callable[[int], Any], municipality_id: int) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            with municipality_scope(municipality_id):
                barrier.wait()
                results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.parametrize("round_", range(3))
def test_ten_identical_notifications_at_once_settle_once(
    setup: Setup,
    provider,
    round_: int,  # type: ignore[no-untyped-def]
) -> None:
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    query = notification(payment, ok="1")
    results = together(
        THREADS,
        lambda _index: notification_receive(
            config=provider,
            query_string=query,
            channel=NotificationChannel.NOTIFICATION,
            base_url=BASE_URL,
        ),
        payment.municipality_id,
    )
    assert all(not isinstance(result, Exception) and result.ok for result in results), results
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert Booking.objects.count() == 2 and Invoice.objects.count() == 1
    assert Settlement.objects.count() == 1
    outcomes = sorted(PaymentNotification.objects.values_list("outcome", flat=True))
    assert outcomes.count(NotificationOutcome.APPLIED) == 1
    assert outcomes.count(NotificationOutcome.REPEATED) == THREADS - 1


def test_families_holding_the_last_places_never_overbook(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    town = setup.family.household.municipality
    product = setup.p("MERCREDI JOURNEE")
    product.capacity = 3
    product.save(update_fields=["capacity"])
    families = []
    for index in range(THREADS):
        family = make_family(town, email=f"parent{index}@example.org")
        child = ChildFactory(household=family.household, first_name=f"Enfant{index}")
        enroll_all([child], [setup.wednesday])
        cart_toggle(household=family.household, child=child, product=product, day=WED_18)
        families.append(family)

    def hold(index: int) -> str:
        family = families[index]
        try:
            result = cart_checkout(
                household=family.household,
                user=family.user,
                email=family.user.email,
                base_url=BASE_URL,
            )
        except BookingError as error:
            return str(error.reason)
        return "held" if result.payment is not None else "refused"

    results = together(THREADS, hold, town.pk)
    assert not [result for result in results if isinstance(result, Exception)], results
    assert PlaceHold.objects.filter(product=product, date=WED_18).count() == 3
    assert ProductDay.objects.get(product=product, date=WED_18).taken == 3
    assert results.count("held") == 3
    assert set(results) <= {"held", "refused", "full", "busy"}


@pytest.mark.parametrize("round_", range(3))
def test_a_grouped_and_a_single_payment_of_one_invoice_at_once_pay_it_once(
    setup: Setup,
    provider,
    round_: int,  # type: ignore[no-untyped-def]
) -> None:
    """Invoice A paid alone and within a payment of A and B, each notification delivered
    three times, all at once: A and B are paid exactly their totals, the surplus is an avoir."""
    from espacefamille.billing.models import Allocation, CreditNote
    from espacefamille.payments.checkout import invoice_checkout, invoices_checkout

    from .test_invoice_batches import invoice

    first, second = invoice(setup, "41.30"), invoice(setup, "12.00")
    family = setup.family
    alone = invoice_checkout(
        household=family.household,
        invoice=first,
        user=family.user,
        email=family.user.email,
        base_url=BASE_URL,
    ).payment
    grouped = invoices_checkout(
        household=family.household,
        invoice_ids=[first.pk, second.pk],
        user=family.user,
        email=family.user.email,
        base_url=BASE_URL,
    ).payment
    assert alone is not None and grouped is not None
    queries = [notification(alone, ok="1"), notification(grouped, ok="1")] * 3
    results = together(
        len(queries),
        lambda index: notification_receive(
            config=provider,
            query_string=queries[index],
            channel=NotificationChannel.NOTIFICATION,
            base_url=BASE_URL,
        ),
        setup.family.household.municipality_id,
    )
    assert all(getattr(result, "ok", False) for result in results), results
    with municipality_scope(setup.family.household.municipality_id):
        paid = {
            invoice_id: sum(row.amount for row in Allocation.objects.filter(invoice_id=invoice_id))
            for invoice_id in (first.pk, second.pk)
        }
        assert paid == {first.pk: first.total, second.pk: second.total}
        # Whichever came first, the bank's 94,60 € are 53,30 € settled and 41,30 € of avoir.
        assert sum(row.amount for row in Settlement.objects.all()) == first.total + second.total
        assert [note.amount for note in CreditNote.objects.all()] == [first.total]
