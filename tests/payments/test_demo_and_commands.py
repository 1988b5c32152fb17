"""The demo town pays online with the demo bank; ``expire_payments`` expires what ran out."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from espacefamille.bookings.models import PlaceHold
from espacefamille.catalog.models import Service
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo import load_demo
from espacefamille.payments.models import (
    CancellationOutcome,
    CancellationRule,
    Payment,
    PaymentState,
)
from espacefamille.payments.providers import provider_for

from ..bookings.conftest import Setup
from .conftest import checkout, fill_wednesdays


@pytest.mark.django_db
def test_the_demo_town_pays_wednesdays_with_the_demo_bank() -> None:
    load_demo(base_url="http://testserver")
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        wednesday = Service.objects.get(name="Accueil du mercredi")
        assert wednesday.is_prepaid
        config = provider_for(service=wednesday)
        assert config is not None and config.backend == "dummy"
        assert CancellationRule.objects.get(service=wednesday).outcome == CancellationOutcome.CREDIT


@pytest.mark.django_db
def test_expire_payments_command(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]
    fill_wednesdays(setup)
    payment = checkout(setup).payment
    out = StringIO()
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=21), tick=False):
        call_command("expire_payments", stdout=out)
    assert "1 paiement expiré." in out.getvalue()
    with municipality_scope(payment.municipality_id):
        payment.refresh_from_db()
        assert payment.state == PaymentState.EXPIRED
        assert not PlaceHold.objects.exists()
        assert Payment.objects.count() == 1
