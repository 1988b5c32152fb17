"""The home's household sections read as rows (the invoices due with their balance summed over
one join, the reported absences): what is left to pay per open invoice and in total, never a
paid or draft invoice, and the latest absences with their outcome. (NOW = Tuesday 10/11/2026.)"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from espacefamille.attendance.models import AbsenceOutcome, AbsenceReason, AbsenceReport
from espacefamille.billing.models import (
    InvoiceStatus,
)
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope

from ..billing.invoice_helpers import october_invoice, pay_in_cash
from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import Setup
from .booking_helpers import page_text

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup
HOME = reverse("portal:home")


def test_the_home_shows_what_is_left_to_pay_per_openoctober_invoice(setup: Setup) -> None:
    household = setup.family.household
    with municipality_scope(household.municipality):
        partly = october_invoice(setup.restaurant, household, "F-2026-0001", "40.00")
        pay_in_cash(partly, "10.00", "5.50")  # two settlements: summed once each over the join
        unpaid = october_invoice(
            setup.daycare, household, "F-2026-0002", "12.00", issued_on=date(2026, 11, 3)
        )
        paid = october_invoice(setup.restaurant, household, "F-2026-0003", "8.00")
        pay_in_cash(paid, "8.00")
        october_invoice(
            setup.restaurant, household, "F-2026-0004", "99.00", status=InvoiceStatus.DRAFT
        )
    html = page_text(setup.family.client.get(HOME))
    assert f"À payer : {format_euros(Decimal('36.50'))}" in html
    assert (
        f"Facture F-2026-0001 ({setup.restaurant.name}) : {format_euros(Decimal('24.50'))}" in html
    )
    assert f"Facture F-2026-0002 ({setup.daycare.name}) : {format_euros(Decimal('12.00'))}" in html
    assert html.index("F-2026-0002") < html.index("F-2026-0001")  # newest first
    assert "avant le 30/11/2026" in html
    assert reverse("portal:invoice_pay", args=[unpaid.pk]) in html
    assert "F-2026-0003" not in html and "F-2026-0004" not in html


def test_an_invoice_paid_to_the_cent_in_several_settlements_is_not_due(setup: Setup) -> None:
    """0.70 + 0.10 is a hair below 0.80 as a float sum (SQLite): paid, not "0,00 € to pay".
    Fails on the reads that compared the float sum with the total."""
    household = setup.family.household
    with municipality_scope(household.municipality):
        paid = october_invoice(setup.restaurant, household, "F-2026-0005", "0.80")
        pay_in_cash(paid, "0.70", "0.10")
        partly = october_invoice(setup.restaurant, household, "F-2026-0006", "10.30")
        pay_in_cash(partly, "0.10")
    html = page_text(setup.family.client.get(HOME))
    assert "F-2026-0005" not in html
    assert (
        f"Facture F-2026-0006 ({setup.restaurant.name}) : {format_euros(Decimal('10.20'))}" in html
    )
    assert f"À payer : {format_euros(Decimal('10.20'))}" in html


def test_the_home_lists_the_latest_reported_absences_with_their_outcome(setup: Setup) -> None:
    household = setup.family.household
    with municipality_scope(household.municipality):
        for child, first, last, outcome in (
            (setup.paul, date(2026, 11, 2), date(2026, 11, 3), AbsenceOutcome.JUSTIFIED),
            (setup.julie, date(2026, 11, 9), date(2026, 11, 9), AbsenceOutcome.PENDING),
        ):
            AbsenceReport.objects.create(
                municipality=household.municipality,
                household=household,
                child=child,
                first_day=first,
                last_day=last,
                reason=AbsenceReason.ILLNESS,
                outcome=outcome,
            )
    html = page_text(setup.family.client.get(HOME))
    assert "Julie, 09/11 : <strong>certificat en cours d'examen</strong>" in html
    assert "Paul, 02/11–03/11 : <strong>Absence justifiée</strong>" in html
    assert html.index("Julie, 09/11") < html.index("Paul, 02/11")
