"""A cart with a line due within 24 hours gets one reminder, and none on a second run or from
two workers at once (PostgreSQL or SQLite, real threads and connections)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection

from espacefamille.bookings.cart import cart_toggle
from espacefamille.core.tenancy import municipality_scope
from espacefamille.notifications.models import Channel, Delivery, Kind, Preference
from espacefamille.notifications.reminders import cart_reminders_send

from ..bookings.conftest import THU_12, TUE_17, Setup
from .conftest import two_workers_at_once


def _cart_due_tomorrow(setup: Setup) -> None:
    household = setup.family.household
    with municipality_scope(household.municipality):
        # THU_12's deadline is Tuesday 10/11 10:00: within the next 24 hours; TUE_17's is not.
        cart_toggle(household=household, child=setup.paul, product=setup.p("REPAS"), day=THU_12)
        cart_toggle(household=household, child=setup.julie, product=setup.p("REPAS"), day=THU_12)
        cart_toggle(household=household, child=setup.paul, product=setup.p("REPAS"), day=TUE_17)
        Preference.objects.create(
            municipality=household.municipality,
            household=household,
            kind=Kind.REMINDER,
            channel=Channel.EMAIL,
            enabled=True,
        )


@pytest.mark.django_db
def test_one_reminder_then_none_on_a_rerun(
    setup: Setup, django_capture_on_commit_callbacks: Any
) -> None:
    _cart_due_tomorrow(setup)
    town = setup.family.household.municipality
    with municipality_scope(town), django_capture_on_commit_callbacks(execute=True):
        assert cart_reminders_send(municipality=town) == 1
        assert cart_reminders_send(municipality=town) == 0
    assert len(mail.outbox) == 1
    assert "Votre panier n'est pas validé : 2 REPAS, avant mardi 10h00." in mail.outbox[0].body


def test_reminders_off_by_default(setup: Setup, db: None) -> None:
    household = setup.family.household
    with municipality_scope(household.municipality):
        cart_toggle(household=household, child=setup.paul, product=setup.p("REPAS"), day=THU_12)
        assert cart_reminders_send(municipality=household.municipality) == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_reminder(setup: Setup) -> None:
    if connection.vendor == "sqlite":  # its shared in-memory test base refuses a second writer
        pytest.skip("deux écritures simultanées : PostgreSQL seulement")
    _cart_due_tomorrow(setup)
    town = setup.family.household.municipality
    assert two_workers_at_once(town, cart_reminders_send) == [0, 1]
    with municipality_scope(town):
        assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1
