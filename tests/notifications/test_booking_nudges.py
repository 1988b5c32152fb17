""" "Pensez à réserver": a child who had REPAS last week and nothing next week gets one nudge
when next week's deadline is within 48 hours, once per (household, child, product, week), only
for families who chose reminders, and none when next week is booked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import time_machine
from django.core import mail

from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.catalog.deadlines import PARIS
from espacefamille.core.tenancy import municipality_scope
from espacefamille.notifications.booking_nudges import booking_nudges_send
from espacefamille.notifications.models import Channel, Kind, Preference

from ..bookings.conftest import MON_09, MON_16, Setup

# Thursday 12/11 noon: next week's first REPAS (Monday 16/11) closes on Saturday 14/11 10:00.
THU_NOON = datetime(2026, 11, 12, 12, 0, tzinfo=PARIS)


def _booked(setup: Setup, day: Any) -> None:
    Booking.objects.create(
        municipality=setup.family.household.municipality,
        household=setup.family.household,
        child=setup.paul,
        product=setup.p("REPAS"),
        date=day,
        status=BookingStatus.VALIDATED,
    )


def _chose_reminders(setup: Setup) -> None:
    household = setup.family.household
    Preference.objects.create(
        municipality=household.municipality,
        household=household,
        kind=Kind.REMINDER,
        channel=Channel.EMAIL,
        enabled=True,
    )


def test_one_nudge_then_none_on_a_rerun(
    setup: Setup, db: None, django_capture_on_commit_callbacks: Any
) -> None:
    town = setup.family.household.municipality
    with municipality_scope(town), time_machine.travel(THU_NOON, tick=False):
        _booked(setup, MON_09)
        _chose_reminders(setup)
        with django_capture_on_commit_callbacks(execute=True):
            assert booking_nudges_send(municipality=town) == 1
            assert booking_nudges_send(municipality=town) == 0
    assert len(mail.outbox) == 1
    assert "rien n'est réservé en REPAS pour la semaine du 16/11/2026" in mail.outbox[0].body
    assert "jusqu'au 14/11/2026 10h00" in mail.outbox[0].body


def test_no_nudge_when_next_week_is_booked(setup: Setup, db: None) -> None:
    town = setup.family.household.municipality
    with municipality_scope(town), time_machine.travel(THU_NOON, tick=False):
        _booked(setup, MON_09)
        _booked(setup, MON_16)
        _chose_reminders(setup)
        assert booking_nudges_send(municipality=town) == 0


def test_no_nudge_for_families_who_did_not_choose_reminders(setup: Setup, db: None) -> None:
    town = setup.family.household.municipality
    with municipality_scope(town), time_machine.travel(THU_NOON, tick=False):
        _booked(setup, MON_09)
        assert booking_nudges_send(municipality=town) == 0


def test_no_nudge_while_the_deadline_is_further_than_48_hours(setup: Setup, db: None) -> None:
    town = setup.family.household.municipality  # frozen at Tuesday 10/11 09:00: 4 days
    with municipality_scope(town):
        _booked(setup, MON_09)
        _chose_reminders(setup)
        assert booking_nudges_send(municipality=town) == 0
