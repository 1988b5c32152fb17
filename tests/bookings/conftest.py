"""A town with the demo catalog, a family with two enrolled children, and a fixed "now"
(Tuesday 10/11/2026, 09:00 in Paris) so deadlines are deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest
import time_machine

from espacefamille.catalog.deadlines import PARIS
from espacefamille.catalog.models import Product, Service
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import enroll_all, load_catalog
from espacefamille.households.models import Child

from ..conftest import Family, make_family
from ..factories import ChildFactory

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=PARIS)


@dataclass
class Setup:
    family: Family
    paul: Child
    julie: Child
    restaurant: Service
    daycare: Service
    wednesday: Service
    products: dict[str, Product]

    def p(self, name: str) -> Product:
        return self.products[name]


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def setup(town, frozen) -> Iterator[Setup]:  # type: ignore[no-untyped-def]
    family = make_family(town)
    with municipality_scope(town):
        paul = ChildFactory(household=family.household, first_name="Paul")
        julie = ChildFactory(household=family.household, first_name="Julie")
        restaurant, daycare, wednesday = load_catalog(town)
        enroll_all([paul, julie], [restaurant, daycare, wednesday])
        products = {p.name: p for p in Product.objects.select_related("service")}
        yield Setup(family, paul, julie, restaurant, daycare, wednesday, products)


# Handy days around NOW (Tuesday 10/11/2026): Wednesday 11/11 is a public holiday.
THU_12 = date(2026, 11, 12)  # deadline Tue 10/11 10:00 → still open at 09:00
FRI_13 = date(2026, 11, 13)
MON_16 = date(2026, 11, 16)
TUE_17 = date(2026, 11, 17)
MON_09 = date(2026, 11, 9)  # in the past
