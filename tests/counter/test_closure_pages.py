"""The back office's exceptional closure: the form, its preview (nothing written), the
confirmation, the list with "Lever la fermeture"; the family's notification settings."""

from __future__ import annotations

from datetime import date

import pytest

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.catalog.models import Closure
from espacefamille.notifications.models import Preference
from espacefamille.payments.cancellations import cart_validate

from ..backoffice.helpers import make_agent
from ..bookings.conftest import Setup

pytestmark = pytest.mark.django_db
THU_26 = date(2026, 11, 26)
URL = "/agents/configuration/fermetures/exceptionnelle/"


def test_the_agent_sees_the_preview_then_confirms(setup: Setup) -> None:
    household = setup.family.household
    cart_toggle(household=household, child=setup.paul, product=setup.p("REPAS"), day=THU_26)
    assert cart_validate(household=household, user=setup.family.user).ok
    agent = make_agent(household.municipality, "administrator")
    form = {"start": "26/11/2026", "end": "", "kind": "greve", "note": ""}
    page = agent.client.post(URL, {**form, "apercu": "1"})
    assert "1 réservation(s) de 1 famille(s) seront annulées" in page.content.decode()
    assert not Closure.objects.exists()
    done = agent.client.post(URL, {**form, "confirmer": "1"}, follow=True)
    assert "Fermeture enregistrée" in done.content.decode()
    booking = Booking.objects.get(date=THU_26)
    assert booking.status == BookingStatus.CANCELLED
    assert "Lever la fermeture" in done.content.decode()
    closure = Closure.objects.get()
    agent.client.post(f"/agents/configuration/fermetures/{closure.pk}/lever/")
    closure.refresh_from_db()
    assert closure.reopened_at is not None
    # An exceptional closure is not edited or deleted as a planned one.
    assert agent.client.get(f"/agents/configuration/fermetures/{closure.pk}/").status_code == 404


def test_a_past_day_is_refused_on_the_form(setup: Setup) -> None:
    agent = make_agent(setup.family.household.municipality, "administrator")
    page = agent.client.post(URL, {"start": "09/11/2026", "kind": "greve", "apercu": "1"})
    assert "Un jour passé ne peut plus être fermé." in page.content.decode()


def test_the_family_chooses_its_notifications(setup: Setup) -> None:
    client = setup.family.client
    page = client.get("/foyer/notifications/")
    assert page.status_code == 200
    assert "Fermetures et messages de la commune" in page.content.decode()
    client.post("/foyer/notifications/", {"closure-email": "1", "reminder-sms": "1"})
    enabled = set(Preference.objects.filter(enabled=True).values_list("kind", "channel"))
    assert enabled == {("closure", "email"), ("reminder", "sms")}
