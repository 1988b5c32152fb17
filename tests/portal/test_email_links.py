"""Links in the booking e-mails reach the portal that sent them: the base URL a front door
passes, else ``SITE_URL`` (commands); ``make demo PORT=…`` passes its port to the server."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from espacefamille.bookings.emails import send_cart_validation_email, send_waiting_list_email
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.core.tenancy import municipality_scope

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import THU_12, Setup

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup

ROOT = Path(__file__).resolve().parents[2]


def _booking(s: Setup) -> Booking:
    with municipality_scope(s.paul.municipality):
        return Booking.objects.create(
            municipality=s.paul.municipality,
            child=s.paul,
            product=s.p("PAI"),  # no capacity: a booking written here needs no ledger row
            date=THU_12,
            status=BookingStatus.VALIDATED,
        )


def _validation_email(s: Setup, capture: Any, **extra: Any) -> str:
    booking = _booking(s)
    with capture(execute=True):
        send_cart_validation_email.call(
            municipality_id=s.paul.municipality_id,
            household_id=s.family.household.pk,
            booked_ids=[booking.pk],
            cancelled_ids=[],
            at=timezone.now().isoformat(),
            **extra,
        )
    (message,) = mail.outbox
    return str(message.body)


def test_the_front_door_base_url_is_used(
    setup: Setup, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8000"
    body = _validation_email(
        setup, django_capture_on_commit_callbacks, base_url="http://127.0.0.1:8123/"
    )
    assert "http://127.0.0.1:8123/reservations/" in body
    assert ":8000" not in body


def test_site_url_without_a_base_url(
    setup: Setup, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://famille.example.org"
    body = _validation_email(setup, django_capture_on_commit_callbacks)
    assert "https://famille.example.org/reservations/" in body


def test_the_waiting_list_email_too(
    setup: Setup, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8000"
    booking = _booking(setup)
    with (
        municipality_scope(setup.paul.municipality),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_waiting_list_email.enqueue(
            municipality_id=booking.municipality_id,
            booking_id=booking.pk,
            base_url="http://127.0.0.1:8123",
        )
    assert "http://127.0.0.1:8123/reservations/" in str(mail.outbox[0].body)


def test_make_demo_passes_its_port_to_the_server() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "demo", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (server,) = [line for line in dry_run.splitlines() if "runserver" in line]
    assert "SITE_URL=http://127.0.0.1:8123 " in server and "127.0.0.1:8123" in server
