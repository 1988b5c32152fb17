"""An invoice paid to the cent in several settlements is paid, on every read that compares what
was paid with the total in SQL. SQLite sums decimals as floats (0.70 + 0.10 is a hair below
0.80): before ``balances.money_sum`` such an invoice stayed in "Factures en cours" with 0,00 €
left, and the due-date reminder wrote to the family about it. (NOW = Tuesday 10/11/2026.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from espacefamille.billing.due_reminders import DAYS_BEFORE, invoice_reminders_send
from espacefamille.billing.selectors import household_invoices, household_invoices_due
from espacefamille.core.tenancy import municipality_scope

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import NOW, Setup
from .invoice_helpers import october_invoice, pay_in_cash

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup


def test_paid_to_the_cent_is_paid_everywhere(setup: Setup) -> None:
    household = setup.family.household
    due_on = NOW.date() + timedelta(days=DAYS_BEFORE)
    with municipality_scope(household.municipality):
        invoice = october_invoice(setup.restaurant, household, "F-2026-0007", "0.80", due_on=due_on)
        pay_in_cash(invoice, "0.70", "0.10")
        assert [row.invoice.pk for row in household_invoices(household=household, paid=True)] == [
            invoice.pk
        ]
        assert household_invoices(household=household, paid=False) == []
        assert household_invoices_due(household=household) == []
        assert invoice_reminders_send(municipality=household.municipality, now=NOW) == 0
