"""An invoice due in 3 days and unpaid gets one reminder, by ``send_reminders``: none for a
paid one or one due another day, none on a rerun or from a second worker at the same time,
none by a channel the family turned off."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from espacefamille.billing.due_reminders import invoice_reminders_send
from espacefamille.billing.models import (
    Allocation,
    Invoice,
    InvoiceStatus,
    Settlement,
    SettlementMethod,
)
from espacefamille.core.tenancy import municipality_scope
from espacefamille.notifications.models import Channel, Delivery, Kind, Preference

from ..bookings.conftest import NOW, Setup
from .conftest import two_workers_at_once

DUE = NOW.date() + timedelta(days=3)


def _invoice(setup: Setup, number: str, due_on: date, total: str = "41.30") -> Invoice:
    return Invoice.objects.create(
        municipality=setup.family.household.municipality,
        service=setup.restaurant,
        household=setup.family.household,
        recipient_name="M. DUPONT",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        status=InvoiceStatus.FINAL,
        number=number,
        issued_on=date(2026, 11, 2),
        due_on=due_on,
        total=Decimal(total),
    )


def _invoices(setup: Setup) -> None:
    town = setup.family.household.municipality
    with municipality_scope(town):
        _invoice(setup, "2026-RS-000001", DUE)
        _invoice(setup, "2026-RS-000002", DUE + timedelta(days=1))
        paid = _invoice(setup, "2026-RS-000003", DUE, total="10.00")
        settlement = Settlement.objects.create(
            municipality=town,
            service=setup.restaurant,
            household=setup.family.household,
            method=SettlementMethod.CHEQUE,
            amount=Decimal("10.00"),
        )
        Allocation.objects.create(
            municipality=town, settlement=settlement, invoice=paid, amount=Decimal("10.00")
        )


@pytest.mark.django_db
def test_one_reminder_per_unpaid_invoice_then_none_on_a_rerun(
    setup: Setup, django_capture_on_commit_callbacks: Any
) -> None:
    _invoices(setup)
    town = setup.family.household.municipality
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", town.slug, stdout=StringIO())
        call_command("send_reminders", town.slug, stdout=StringIO())
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Votre facture 2026-RS-000001 n'est pas réglée" in body
    assert f"avant le {DUE:%d/%m/%Y}" in body
    assert "41,30" in body


@pytest.mark.django_db
def test_no_invoice_reminder_by_a_channel_turned_off(setup: Setup) -> None:
    _invoices(setup)
    household = setup.family.household
    with municipality_scope(household.municipality):
        Preference.objects.create(
            municipality=household.municipality,
            household=household,
            kind=Kind.INVOICE,
            channel=Channel.EMAIL,
            enabled=False,
        )
        assert invoice_reminders_send(municipality=household.municipality) == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_invoice_reminder(setup: Setup) -> None:
    if connection.vendor == "sqlite":  # its shared in-memory test base refuses a second writer
        pytest.skip("deux écritures simultanées : PostgreSQL seulement")
    _invoices(setup)
    town = setup.family.household.municipality
    assert two_workers_at_once(town, invoice_reminders_send) == [0, 1]
    with municipality_scope(town):
        assert Delivery.objects.filter(kind=Kind.INVOICE).count() == 1
    assert len(mail.outbox) == 1
