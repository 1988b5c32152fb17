"""Each household of a shared child is invoiced for the days it booked, with its own family
quotient; a presence nobody booked goes to the custody day's household, or to the first
household (the town's setting)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from espacefamille.billing.models import Invoice, InvoiceLine
from espacefamille.billing.runs import invoice_run_draft
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.child_links import child_link_household, custody_pattern_set
from espacefamille.households.models import CustodyKind, PresenceBilling, SharingSettings

from ..conftest import make_family
from .conftest import OCTOBER, Billing

pytestmark = pytest.mark.django_db


def _days(household_id: int) -> list[tuple[str, date]]:
    return sorted(
        InvoiceLine.objects.filter(invoice__household_id=household_id).values_list(
            "child_name", "date"
        )
    )


@pytest.fixture
def martin(billing: Billing):  # type: ignore[no-untyped-def]
    other = make_family(billing.town, email="martin@example.org")
    with municipality_scope(billing.town):
        child_link_household(child=billing.paul, household=other.household, actor=None)
    return other


def test_each_household_is_billed_its_own_days(billing: Billing, martin) -> None:  # type: ignore[no-untyped-def]
    with municipality_scope(billing.town):
        billing.book(billing.paul, "REPAS", 1, 2)  # DUPONT's days
        billing.book(billing.julie, "REPAS", 1)
        bookings_record_history(
            bookings=[
                Booking(
                    municipality=billing.town,
                    household=martin.household,
                    child=billing.paul,
                    product=billing.p("REPAS"),
                    date=date(2026, 10, day),
                    status="validated",
                )
                for day in (5, 6, 7)
            ]
        )
        invoice_run_draft(service=billing.restaurant, month=OCTOBER)
        dupont = billing.family.household.pk
        paul, julie = str(billing.paul), str(billing.julie)
        assert _days(dupont) == [
            (julie, date(2026, 10, 1)),
            (paul, date(2026, 10, 1)),
            (paul, date(2026, 10, 2)),
        ]
        assert _days(martin.household.pk) == [(paul, date(2026, 10, d)) for d in (5, 6, 7)]
        assert Invoice.objects.count() == 2


@pytest.mark.parametrize("setting", [PresenceBilling.CUSTODY, PresenceBilling.FIRST])
def test_a_presence_nobody_booked_follows_the_town_setting(
    billing: Billing,
    martin,  # type: ignore[no-untyped-def]
    setting: str,
) -> None:
    with municipality_scope(billing.town):
        SharingSettings.objects.create(municipality=billing.town, presence_billed_to=setting)
        custody_pattern_set(
            child=billing.paul,
            kind=CustodyKind.ALTERNATE_WEEKS,
            start_date=date(2026, 9, 28),  # week of 28/09 DUPONT, week of 05/10 MARTIN
            home_weekdays=set(),
            actor=None,
        )
        billing.attend(billing.paul, "REPAS", "present_unbooked", 6)  # a MARTIN week
        invoice_run_draft(service=billing.restaurant, month=OCTOBER)
        payer = martin.household if setting == PresenceBilling.CUSTODY else billing.family.household
        other = billing.family.household if payer == martin.household else martin.household
        assert _days(payer.pk) == [(str(billing.paul), date(2026, 10, 6))]
        assert _days(other.pk) == []
        line = InvoiceLine.objects.get()
        assert line.amount > Decimal("0")
