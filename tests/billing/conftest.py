"""A town with the demo catalog and a family (Paul and Julie) enrolled; helpers to book and
record attendance in a past month directly (the booking rules are tested elsewhere; the
places still go through the capacity ledger)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from espacefamille.bookings.attendance import attendance_record
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking
from espacefamille.catalog.models import Product, Service
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog
from espacefamille.households.models import Child

from ..conftest import Family, make_family
from ..factories import ChildFactory

OCTOBER = date(2026, 10, 1)


@dataclass
class Billing:
    town: Municipality
    family: Family
    paul: Child
    julie: Child
    restaurant: Service
    daycare: Service
    products: dict[str, Product]

    def p(self, name: str) -> Product:
        return self.products[name]

    def book(
        self, child: Child, name: str, *days: int, month: int = 10, status: str = "validated"
    ) -> None:
        bookings_record_history(
            bookings=[
                Booking(
                    municipality=self.town,
                    child=child,
                    product=self.p(name),
                    date=date(2026, month, day),
                    status=status,
                )
                for day in days
            ]
        )

    def attend(self, child: Child, name: str, state: str, *days: int, month: int = 10) -> None:
        for day in days:
            attendance_record(
                child=child,
                product=self.p(name),
                day=date(2026, month, day),
                state=state,
                user=None,
            )


@pytest.fixture
def billing(town: Municipality) -> Iterator[Billing]:
    family = make_family(town)
    with municipality_scope(town):
        paul = ChildFactory(household=family.household, first_name="Paul", last_name="DUPONT")
        julie = ChildFactory(household=family.household, first_name="Julie", last_name="DUPONT")
        restaurant, daycare, _wednesday = load_catalog(town)
        products = {p.name: p for p in Product.objects.select_related("service")}
        yield Billing(town, family, paul, julie, restaurant, daycare, products)


def make_other_family(billing: Billing, email: str = "autre@example.org") -> tuple[Family, Child]:
    other = make_family(billing.town, email=email)
    child = ChildFactory(household=other.household, first_name="Zoé", last_name="MARTIN")
    return other, child
