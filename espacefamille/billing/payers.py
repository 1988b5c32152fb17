"""Which household pays each day of a child shared between separated parents: the household
that booked it; a day nobody booked (a presence without booking) goes to the household whose
custody day it is, or to the child's first household (the town's ``SharingSettings``).

A child that was never shared has one payer, its household, and costs no query here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from espacefamille.bookings.models import Booking
from espacefamille.households.custody import custody_household_id, presence_billed_to
from espacefamille.households.models import (
    Child,
    ChildHousehold,
    CustodyPattern,
    PresenceBilling,
)

from .pricing import QuotientHistory


@dataclass
class Payers:
    """The payer of a (child, product, day); the first household when nothing else says."""

    home: dict[int, int] = field(default_factory=dict)  # child → first household
    booked: dict[tuple[int, int, date], int] = field(default_factory=dict)
    households: dict[int, list[int]] = field(default_factory=dict)  # shared child → households
    patterns: dict[int, CustodyPattern] = field(default_factory=dict)
    by_custody: bool = True
    ever_shared: set[int] = field(default_factory=set)  # children that had a second household

    def of(self, child_id: int, product_id: int, day: date) -> int:
        owner = self.booked.get((child_id, product_id, day))
        if owner is not None:
            return owner
        households = self.households.get(child_id)
        if households and self.by_custody:
            custody = custody_household_id(self.patterns.get(child_id), households, day)
            if custody is not None:
                return custody
        return self.home[child_id]


def children_of_households(household_ids: list[int]) -> list[tuple[int, int, str, str]]:
    """(child id, first household id, first name, last name) of every child of these
    households, shared ones included (each child once)."""
    shared = ChildHousehold.objects.filter(child_id=OuterRef("pk"), household_id__in=household_ids)
    return list(
        Child.objects.filter(Q(household_id__in=household_ids) | Q(Exists(shared)))
        .order_by("first_name", "pk")
        .values_list("pk", "household_id", "first_name", "last_name")
    )


def load_payers(
    *, municipality_id: int, children: Iterable[tuple[int, int]], period: tuple[date, date]
) -> Payers:
    """``children``: (child id, first household id). Only children that ever had a second
    household read their bookings' households, patterns and memberships."""
    payers = Payers(home=dict(children))
    links = list(
        ChildHousehold.objects.filter(child_id__in=list(payers.home))
        .order_by("linked_at", "pk")
        .values_list("child_id", "household_id", "ended_at")
    )
    if not links:
        return payers
    ever_shared = payers.ever_shared = {child_id for child_id, _h, _e in links}
    for child_id, household_id, ended_at in links:
        if ended_at is None:
            payers.households.setdefault(child_id, [payers.home[child_id]]).append(household_id)
    payers.by_custody = presence_billed_to(municipality_id) == PresenceBilling.CUSTODY
    payers.patterns = {
        pattern.child_id: pattern
        for pattern in CustodyPattern.objects.filter(child_id__in=ever_shared)
    }
    for child_id, product_id, day, household_id in Booking.objects.filter(
        child_id__in=ever_shared, date__range=period
    ).values_list("child_id", "product_id", "date", "household_id"):
        payers.booked[(child_id, product_id, day)] = household_id
    return payers


class PayerQuotients:
    """The family quotient of the household paying each day: a shared child's days are priced
    with the bracket of the household that pays them."""

    def __init__(
        self, payers: Payers, child_id: int, product_id: int, histories: dict[int, QuotientHistory]
    ):
        self._payers, self._child, self._product = payers, child_id, product_id
        self._histories = histories

    def on(self, day: date) -> Decimal | None:
        payer = self._payers.of(self._child, self._product, day)
        history = self._histories.get(payer)
        return history.on(day) if history is not None else None
