"""The capacity ledger equals the rows it counts after any sequence of what families and agents
do: add, cancel, approve, refuse, join a waiting list and get promoted, hold a place for a
payment, release it, let it expire. Hypothesis plays random sequences of these on a small
town (three children competing for two places a day) and checks after every step that each
ledger row equals its active bookings and holds and never exceeds the day's capacity."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.errors import BookingError
from espacefamille.bookings.holds import holds_create, holds_release
from espacefamille.bookings.ledger_check import ledger_differences
from espacefamille.bookings.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    PlaceHold,
    ProductDay,
)
from espacefamille.bookings.waiting_list import waiting_list_join
from espacefamille.catalog.models import Product
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import enroll_all, load_catalog
from espacefamille.payments.cancellations import booking_decide, cart_validate

from ..factories import ChildFactory, HouseholdFactory, MunicipalityFactory
from .conftest import MON_16, NOW, TUE_17

pytestmark = pytest.mark.django_db

DAYS = [MON_16, TUE_17]
PRODUCTS = ["REPAS", "REPAS VEGETARIEN"]
CAPACITY = 2

children = st.integers(min_value=0, max_value=2)
days = st.sampled_from(DAYS)
products = st.sampled_from(PRODUCTS)


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def town(self) -> None:
        self.clock = time_machine.travel(NOW, tick=False)
        self.traveller = self.clock.start()
        self.municipality = MunicipalityFactory()
        self.scope = municipality_scope(self.municipality)
        self.scope.__enter__()
        self.restaurant, _daycare, _wednesday = load_catalog(self.municipality)
        self.products = {
            p.name: p for p in Product.objects.filter(name__in=PRODUCTS).select_related("service")
        }
        for product in self.products.values():
            product.capacity = CAPACITY
            product.save()
        self.children = []
        for _ in range(3):
            household = HouseholdFactory(municipality=self.municipality)
            self.children.append(ChildFactory(household=household))
        enroll_all(self.children, [self.restaurant])

    def teardown(self) -> None:
        if hasattr(self, "scope"):
            self.scope.__exit__(None, None, None)
            self.clock.stop()

    def _refresh_products(self) -> None:
        for product in self.products.values():
            product.service.refresh_from_db()

    @rule(child=children, product=products, day=days)
    def click_and_validate(self, child: int, product: str, day: date) -> None:
        """A family adds (or cancels) a day and validates its cart."""
        kid = self.children[child]
        self._refresh_products()
        cart_toggle(household=kid.household, child=kid, product=self.products[product], day=day)
        cart_validate(household=kid.household, user=None)

    @rule(approval=st.booleans())
    def town_changes_approval(self, approval: bool) -> None:
        self.restaurant.booking_requires_approval = approval
        self.restaurant.cancellation_requires_approval = approval
        self.restaurant.save()

    @rule(accept=st.booleans(), pick=st.integers(min_value=0, max_value=20))
    def agent_decides(self, accept: bool, pick: int) -> None:
        waiting = list(
            Booking.objects.filter(
                status__in=[BookingStatus.REQUESTED, BookingStatus.CANCEL_REQUESTED]
            ).order_by("pk")
        )
        if waiting:
            booking_decide(booking=waiting[pick % len(waiting)], accept=accept)

    @rule(child=children, product=products, day=days)
    def join_waiting_list(self, child: int, product: str, day: date) -> None:
        kid = self.children[child]
        with suppress(BookingError):  # not full, or the child cannot book it anyway
            waiting_list_join(child=kid, product=self.products[product], day=day, user=None)

    @rule(child=children, product=products, day=days, minutes=st.integers(1, 40))
    def hold_for_payment(self, child: int, product: str, day: date, minutes: int) -> None:
        kid = self.children[child]
        try:
            holds_create(
                household=kid.household,
                items=[(kid, self.products[product], day)],
                expires_at=NOW + timedelta(minutes=minutes),
            )
        except BookingError:
            pass  # full
        except Exception as error:  # the same child holding the same day twice
            if "unique" not in str(error).lower():
                raise

    @rule(pick=st.integers(min_value=0, max_value=20))
    def payment_fails(self, pick: int) -> None:
        holds = list(PlaceHold.objects.order_by("pk"))
        if holds:
            holds_release(holds=[holds[pick % len(holds)]])

    @rule(minutes=st.integers(1, 30))
    def time_passes(self, minutes: int) -> None:
        self.traveller.shift(timedelta(minutes=minutes))

    @invariant()
    def ledger_equals_the_rows(self) -> None:
        if not hasattr(self, "scope"):
            return
        assert ledger_differences() == []
        for row in ProductDay.objects.all():
            assert 0 <= row.taken <= CAPACITY
        for product in self.products.values():
            for day in DAYS:
                active = Booking.objects.filter(
                    product=product, date=day, status__in=ACTIVE_STATUSES
                ).count()
                assert active <= CAPACITY


def test_ledger_equals_bookings_and_holds_after_any_sequence() -> None:
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
