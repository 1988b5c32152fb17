"""Book, cancel and tap through the API: the counter's and the tablets' services, so the same
deadlines, capacity and reason codes as the portal; the key is the author in the action log;
a refused write changes nothing."""

from __future__ import annotations

import uuid

import pytest

from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.errors import Reason
from espacefamille.bookings.models import Attendance, Booking, BookingStatus, ProductDay
from espacefamille.bookings.rules import check_add
from espacefamille.core.tenancy import municipality_scope

from ..bookings.conftest import MON_16, Setup
from .conftest import KeyMaker

pytestmark = pytest.mark.django_db

TODAY = "2026-11-10"  # the booking deadline of today has passed at NOW


def _book(api: object, setup: Setup, day: str, child: object = None, **extra: object) -> object:
    data = {"child": (child or setup.paul).pk, "product": setup.p("REPAS").pk, "date": day}  # type: ignore[attr-defined]
    return api.post("/api/v1/bookings/", {**data, **extra})  # type: ignore[attr-defined]


def test_an_accepted_booking_is_in_the_ledger_and_the_action_log(
    setup: Setup, make_key: KeyMaker
) -> None:
    api = make_key("bookings:write", "bookings:read")
    response = _book(api, setup, "2026-11-16")
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["status"] == BookingStatus.VALIDATED
    with municipality_scope(setup.paul.municipality_id):
        booking = Booking.objects.get(pk=body["id"])
        assert ProductDay.objects.get(product=setup.p("REPAS"), date=MON_16).taken == 1
        entry = ActionLogEntry.objects.get(action="booking.agent_create")
    assert entry.object_id == booking.pk
    assert entry.actor is not None and "Clé API" in str(entry.actor.get_full_name())
    assert booking.created_by == entry.actor
    listed = api.get("/api/v1/bookings/", child=setup.paul.pk).json()  # type: ignore[attr-defined]
    assert [row["id"] for row in listed["results"]] == [booking.pk]


def test_past_the_deadline_the_same_reason_as_the_portal(setup: Setup, make_key: KeyMaker) -> None:
    api = make_key("bookings:write")
    response = _book(api, setup, TODAY)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"  # type: ignore[index]
    assert response.json()["reason"] == Reason.PAST_DEADLINE  # type: ignore[attr-defined]
    with municipality_scope(setup.paul.municipality_id):
        assert not Booking.objects.exists()
        assert not ActionLogEntry.objects.filter(action__startswith="booking.").exists()
    # A reason is an agent's override: only with its scope.
    refused = _book(api, setup, TODAY, reason="Appel de la mère")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    agent_like = make_key("bookings:write", "bookings:override")
    accepted = _book(agent_like, setup, TODAY, reason="Appel de la mère")
    assert accepted.status_code == 201  # type: ignore[attr-defined]
    with municipality_scope(setup.paul.municipality_id):
        entry = ActionLogEntry.objects.get(action="booking.agent_create")
    assert entry.changes["deadline_waived"] == ["", "oui"]


def test_never_past_the_capacity(setup: Setup, make_key: KeyMaker) -> None:
    repas = setup.p("REPAS")
    repas.capacity = 1
    repas.save()
    api = make_key("bookings:write", "bookings:override")
    assert _book(api, setup, "2026-11-16", child=setup.julie).status_code == 201  # type: ignore[attr-defined]
    full = _book(api, setup, "2026-11-16", reason="urgence")
    assert full.status_code == 422  # type: ignore[attr-defined]
    assert full.json()["reason"] == Reason.FULL  # type: ignore[attr-defined]
    # The portal's rule says the same for that day.
    from espacefamille.bookings.context import BookingContext
    from espacefamille.core.models import Municipality

    with municipality_scope(setup.paul.municipality_id):
        ctx = BookingContext.load(
            municipality=Municipality.objects.get(pk=setup.paul.municipality_id),
            children=[setup.paul],
            products=[repas],
            days=[MON_16],
        )
        refusal = check_add(ctx, setup.paul.pk, repas, MON_16)
        assert refusal is not None and refusal.reason == Reason.FULL
        assert Booking.objects.count() == 1


def test_cancel_through_the_api(setup: Setup, make_key: KeyMaker) -> None:
    api = make_key("bookings:write")
    booked = _book(api, setup, "2026-11-16").json()  # type: ignore[attr-defined]
    response = api.post(f"/api/v1/bookings/{booked['id']}/cancel/")
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    assert response.json()["status"] == BookingStatus.CANCELLED  # type: ignore[attr-defined]
    again = api.post(f"/api/v1/bookings/{booked['id']}/cancel/")
    assert again.json()["reason"] == Reason.NOT_BOOKED  # type: ignore[attr-defined]
    with municipality_scope(setup.paul.municipality_id):
        assert ProductDay.objects.get(product=setup.p("REPAS"), date=MON_16).taken == 0
        assert ActionLogEntry.objects.filter(action="booking.agent_cancel").count() == 1


def test_a_tap_counts_once(setup: Setup, make_key: KeyMaker) -> None:
    api = make_key("attendance:write")
    tap = {
        "child": setup.paul.pk,
        "product": setup.p("REPAS").pk,
        "date": TODAY,
        "action": "present",
        "tap_id": str(uuid.uuid4()),
    }
    first = api.post("/api/v1/attendance/taps/", tap)
    assert first.status_code == 200, first.content  # type: ignore[attr-defined]
    assert first.json()["applied"] is True  # type: ignore[attr-defined]
    assert api.post("/api/v1/attendance/taps/", tap).json()["applied"] is False  # type: ignore[attr-defined]
    future = api.post("/api/v1/attendance/taps/", {**tap, "date": "2026-11-16"})
    assert future.json()["reason"] == Reason.FUTURE_DAY  # type: ignore[attr-defined]
    with municipality_scope(setup.paul.municipality_id):
        assert Attendance.objects.count() == 1
        entry = ActionLogEntry.objects.get(action="attendance.record")
    assert entry.actor is not None and entry.actor.last_name == "Logiciel de test"


def test_bad_bodies_answer_422(setup: Setup, make_key: KeyMaker) -> None:
    api = make_key("bookings:write", "attendance:write")
    for body in [{}, {"child": "x"}, {"child": 1, "product": 1, "date": "demain"}]:
        response = api.post("/api/v1/bookings/", body)
        assert response.status_code == 422, response.content  # type: ignore[attr-defined]
    # Django REST framework's own messages in French (its catalogue is in LOCALE_PATHS: it is
    # not an installed app, see config/settings.py).
    response = api.post("/api/v1/bookings/", {"child": "x"})
    assert "Un nombre entier valide est requis." in response.content.decode()  # type: ignore[attr-defined]
    broken = api.client.post(  # type: ignore[attr-defined]
        "/api/v1/bookings/",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.text}",  # type: ignore[attr-defined]
    )
    assert broken.status_code == 400
    assert broken.json()["reason"] == "parse_error"
