"""The bookings screens: requests decided in bulk with a reason the family receives and the
action log keeps; the day overview from the ledger; the counter booking past the deadline."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.urls.resolvers import URLResolver

from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.core.models import Municipality

from ..bookings.conftest import MON_16, THU_12, Setup, frozen, setup  # noqa: F401
from ..bookings.test_lifecycle import _book
from .helpers import make_agent, page_text

pytestmark = pytest.mark.django_db(transaction=True)

TUE_10 = date(2026, 11, 10)


def _requests(setup: Setup) -> list[Booking]:  # noqa: F811
    setup.restaurant.booking_requires_approval = True
    setup.restaurant.save()
    return [
        _book(setup, setup.paul, "REPAS", MON_16).booked[0],
        _book(setup, setup.julie, "REPAS", THU_12).booked[0],
    ]


def test_refuse_two_requests_in_bulk_with_a_reason(town: Municipality, setup: Setup) -> None:  # noqa: F811
    bookings = _requests(setup)
    agent = make_agent(town, "regie")
    page = agent.client.get("/agents/reservations/demandes/")
    assert "Paul" in page_text(page) and "Julie" in page_text(page)
    mail.outbox.clear()
    response = agent.client.post(
        "/agents/reservations/decider/",
        {"booking": [b.pk for b in bookings], "decision": "refuse", "reason": "Complet"},
    )
    assert response.status_code == 302
    assert {b.status for b in Booking.objects.filter(pk__in=[b.pk for b in bookings])} == {
        BookingStatus.REFUSED
    }
    entries = ActionLogEntry.objects.filter(action="booking.decide")
    assert entries.count() == 2 and all(e.actor == agent.user for e in entries)
    assert len(mail.outbox) == 2 and all("Complet" in m.body for m in mail.outbox)


def test_a_refusal_needs_a_reason(town: Municipality, setup: Setup) -> None:  # noqa: F811
    bookings = _requests(setup)
    agent = make_agent(town, "administrator")
    agent.client.post(
        "/agents/reservations/decider/", {"booking": [bookings[0].pk], "decision": "refuse"}
    )
    assert Booking.objects.get(pk=bookings[0].pk).status == BookingStatus.REQUESTED
    assert not ActionLogEntry.objects.filter(action="booking.decide").exists()


def test_day_overview_and_counter_booking_past_the_deadline(
    town: Municipality,
    setup: Setup,  # noqa: F811
) -> None:
    product = setup.p("REPAS")
    product.capacity = 1
    product.save()
    agent = make_agent(town, "regie")
    form = {"product": product.pk, "day": TUE_10.isoformat(), "child": setup.paul.pk}
    agent.client.post("/agents/reservations/pour-une-famille/", form)
    assert not Booking.objects.filter(child=setup.paul).exists()  # past the deadline
    agent.client.post("/agents/reservations/pour-une-famille/", form | {"reason": "Appel"})
    assert Booking.objects.filter(child=setup.paul, date=TUE_10).count() == 1
    refused = agent.client.post(
        "/agents/reservations/pour-une-famille/",
        form | {"child": setup.julie.pk, "reason": "Appel"},
        follow=True,
    )
    assert "Complet" in page_text(refused)
    page = page_text(
        agent.client.get(f"/agents/reservations/jour/?product={product.pk}&day=2026-11-10")
    )
    assert "1 / 1" in page.replace("</strong>", "").replace("<strong>", "")
    assert "Paul" in page
    facilitator = make_agent(town, "facilitator", email="anim@example.org")
    assert facilitator.client.get("/agents/reservations/jour/").status_code == 403


def test_day_overview_reverses_the_cancel_address_once_whatever_the_children(
    town: Municipality,
    setup: Setup,  # noqa: F811
) -> None:
    """A page lists 100 children: its cost must not grow by a ``{% url %}`` per child. Each
    child's cancel form still posts to its own booking."""
    product = setup.p("REPAS")
    agent = make_agent(town, "regie")
    url = f"/agents/reservations/jour/?product={product.pk}&day={TUE_10.isoformat()}"
    reversed_per_page = []
    for child in (setup.paul, setup.julie):
        agent.client.post(
            "/agents/reservations/pour-une-famille/",
            {
                "product": product.pk,
                "day": TUE_10.isoformat(),
                "child": child.pk,
                "reason": "Appel",
            },
        )
        original = URLResolver._reverse_with_prefix
        with mock.patch.object(
            URLResolver, "_reverse_with_prefix", autospec=True, side_effect=original
        ) as reverse:
            page = agent.client.get(url).content.decode()
        reversed_per_page.append(reverse.call_count)
    bookings = Booking.objects.filter(product=product, date=TUE_10)
    assert bookings.count() == 2
    for booking in bookings:
        assert f'action="/agents/reservations/{booking.pk}/annuler/"' in page
    assert reversed_per_page[0] == reversed_per_page[1]
