"""The demo's invoices: DUPONT has last month's canteen and daycare invoiced and unpaid (with
an unjustified absence and a waiting day), an older canteen month paid; loading again changes
nothing; nothing is booked in the current week."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from espacefamille.billing.models import Invoice, InvoiceLine, LineKind
from espacefamille.billing.selectors import household_invoices
from espacefamille.bookings.models import Booking
from espacefamille.catalog.deadlines import PARIS
from espacefamille.core.dates import monday_of
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo import load_demo
from espacefamille.households.models import Household


def _check_demo() -> None:
    with municipality_scope(Municipality.objects.get(slug="demo")):
        dupont = Household.objects.get(external_ref="DEMO-001")
        unpaid = household_invoices(household=dupont, paid=False)
        paid = household_invoices(household=dupont, paid=True)
        assert sorted(row.invoice.service.name for row in unpaid) == [
            "Garderie",
            "Restaurant scolaire",
        ]
        assert len(paid) == 1 and paid[0].last_paid_at is not None
        kinds = set(InvoiceLine.objects.values_list("kind", flat=True))
        assert {LineKind.UNJUSTIFIED_ABSENCE, LineKind.WAITING_DAY} <= kinds
        assert not InvoiceLine.objects.filter(is_anomaly=True).exists()
        today = timezone.localdate()
        monday = monday_of(today)
        assert not Booking.objects.filter(date__gte=monday).exists()
        for invoice in Invoice.objects.all():
            assert invoice.total == sum(line.amount for line in invoice.lines.all())


@pytest.mark.django_db
def test_demo_invoices_and_reload() -> None:
    load_demo(base_url="http://testserver")
    _check_demo()
    with municipality_scope(Municipality.objects.get(slug="demo")):
        counts = (Invoice.objects.count(), InvoiceLine.objects.count(), Booking.objects.count())
    load_demo(base_url="http://testserver")
    with municipality_scope(Municipality.objects.get(slug="demo")):
        assert counts == (
            Invoice.objects.count(),
            InvoiceLine.objects.count(),
            Booking.objects.count(),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("moment", [datetime(2026, 9, 2, 8, 0), datetime(2027, 1, 4, 8, 0)])
def test_demo_in_september_and_after_the_christmas_holidays(moment: datetime) -> None:
    with time_machine.travel(moment.replace(tzinfo=PARIS), tick=False):
        load_demo(base_url="http://testserver")
        _check_demo()
