"""Issue 20's acceptance on the loaded demo (``load_demo``): DUPONT's Paul has a paid MERCREDI
JOURNEE (prepaid, through the demo's dummy bank) and a REPAS; a strike is declared by the
town's script (``close_days``) over those days. Both bookings read "Annulée — fermeture
(grève)", the paid day gave its credit, the ledger is exact (the autouse check), the family
gets the e-mail on a real local SMTP server, the SMS on the console backend and the push on a
push endpoint started by the test (its browser subscribed through the portal's service), and
the month's invoicing bills neither day.

In the demo's catalogue REPAS is served Monday, Tuesday, Thursday and Friday and MERCREDI
JOURNEE on Wednesdays only, so no single day holds both: the strike covers Wednesday 16 and
Thursday 17 December 2026."""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from espacefamille.billing.models import CreditNote, InvoiceLine
from espacefamille.billing.runs import invoice_run_draft
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Booking
from espacefamille.catalog.deadlines import PARIS
from espacefamille.catalog.models import Product, Service
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo import load_demo
from espacefamille.households.models import Child, Household
from espacefamille.notifications import sms
from espacefamille.notifications.models import Delivery, DeliveryStatus
from espacefamille.notifications.push import vapid_keys_new
from espacefamille.notifications.push_subscriptions import push_subscribe
from espacefamille.payments.cancellations import cart_validate
from espacefamille.payments.checkout import cart_checkout
from espacefamille.payments.models import NotificationChannel, ProviderConfig
from espacefamille.payments.notifications import notification_receive

from ..e2e.conftest import Inbox, text_of
from ..notifications.test_channels import PushEndpoint, push_endpoint  # noqa: F401
from ..payments.conftest import notification

pytestmark = pytest.mark.django_db

MONDAY_MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)
WEDNESDAY, THURSDAY, FRIDAY = date(2026, 12, 16), date(2026, 12, 17), date(2026, 12, 18)
BASE_URL = "http://testserver/"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _browser_subscribes(household: Household, endpoint: str) -> None:
    raw = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    data = {"endpoint": endpoint, "keys": {"p256dh": _b64(raw), "auth": _b64(b"0" * 16)}}
    guardian = household.guardians.get(user__isnull=False)
    push_subscribe(household=household, actor=guardian.user, data=data)


def _book_paid_wednesday_and_meal(household: Household, paul: Child) -> None:
    wednesday_day = Product.objects.get(name="MERCREDI JOURNEE")
    meal = Product.objects.get(name="REPAS", service__name="Restaurant scolaire")
    cart_toggle(household=household, child=paul, product=wednesday_day, day=WEDNESDAY)
    guardian = household.guardians.get(user__isnull=False)
    checkout = cart_checkout(
        household=household, user=guardian.user, email=guardian.user.email, base_url=BASE_URL
    )
    assert checkout.held.ok
    received = notification_receive(
        config=ProviderConfig.objects.get(service=None),
        query_string=notification(checkout.payment, ok="1"),
        channel=NotificationChannel.NOTIFICATION,
        base_url=BASE_URL,
    )
    assert received.ok
    cart_toggle(household=household, child=paul, product=meal, day=THURSDAY)
    julie = Child.objects.get(household=household, first_name="Julie")
    cart_toggle(household=household, child=julie, product=meal, day=FRIDAY)  # not closed
    assert cart_validate(household=household, user=guardian.user).ok


def test_a_strike_on_the_demo_cancels_credits_tells_by_every_channel_and_bills_nothing(
    settings: Any,
    smtp: Inbox,
    push_endpoint: str,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DEBUG = True  # the demo bank (eopayment's dummy) is allowed
    settings.WEBPUSH_VAPID_PRIVATE_KEY, settings.WEBPUSH_VAPID_PUBLIC_KEY = vapid_keys_new()
    settings.WEBPUSH_ENDPOINT_HOSTS = ["127.0.0.1"]
    with time_machine.travel(MONDAY_MORNING, tick=False):
        load_demo(base_url=BASE_URL)
        town = Municipality.objects.get(slug="demo")
        with municipality_scope(town):
            dupont = Household.objects.get(external_ref="DEMO-001")
            paul = Child.objects.get(household=dupont, first_name="Paul")
            _book_paid_wednesday_and_meal(dupont, paul)
            _browser_subscribes(dupont, push_endpoint)
            sms.outbox.clear()
            out = StringIO()
            with django_capture_on_commit_callbacks(execute=True):
                call_command(
                    "close_days", "demo", "16/12/2026", "17/12/2026", "--reason", "greve",
                    stdout=out,
                )  # fmt: skip
            assert "réservation" in out.getvalue().splitlines()[0]
            mine = Booking.objects.filter(child=paul, date__in=[WEDNESDAY, THURSDAY])
            labels = {(b.product.name, b.status_label) for b in mine.select_related("product")}
            assert labels == {
                ("MERCREDI JOURNEE", "Annulée — fermeture (grève)"),
                ("REPAS", "Annulée — fermeture (grève)"),
            }
            assert CreditNote.objects.get(household=dupont).amount == Decimal("12.00")
            channels = set(
                Delivery.objects.filter(household=dupont).values_list("channel", "status")
            )
            assert channels == {
                ("email", DeliveryStatus.SENT),
                ("sms", DeliveryStatus.SENT),
                ("push", DeliveryStatus.SENT),
            }
    email = smtp.wait_for(lambda m: m["To"] == "francois.dupont@example.org")
    body = text_of(email)
    assert "fermeture" in body and "16/12/2026" in body and "grève" in body
    assert [m["to"] for m in sms.outbox if m["to"] == "+33612345678"] == ["+33612345678"]
    assert len(PushEndpoint.received) == 1  # encrypted for the browser: the endpoint relays it
    january = datetime(2027, 1, 4, 9, 0, tzinfo=PARIS)
    with time_machine.travel(january, tick=False), municipality_scope(town):
        invoice_run_draft(
            service=Service.objects.get(name="Restaurant scolaire"), month=date(2026, 12, 1)
        )
        drafted = InvoiceLine.objects.filter(invoice__run__isnull=False, date__gte=WEDNESDAY)
        assert not drafted.filter(child=paul, date__in=[WEDNESDAY, THURSDAY]).exists()
        assert drafted.filter(child__first_name="Julie", date=FRIDAY).exists()  # the run bills
