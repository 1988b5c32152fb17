"""The replica router (core.read_replica): which reads may go to a replica, and a parent who
just validated sees the booking although the replica lags.

The lagging replica is a second connection under the alias ``replica``: on PostgreSQL to the
same test database, where it sees none of the test's uncommitted rows (it lags behind
everything the test wrote); on SQLite an in-memory copy of the test database taken when the
fixture starts (it lags behind everything written after)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import load_backend
from django.urls import reverse

from espacefamille.bookings.models import Booking, BookingStatus, Cart
from espacefamille.core import read_replica
from espacefamille.core.read_replica import (
    PIN_COOKIE,
    REPLICA,
    ReplicaRouter,
    primary_pinned,
    replica_reads,
    replica_reads_view,
)
from espacefamille.core.tenancy import municipality_scope

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import THU_12, Setup
from ..portal.booking_helpers import AGENDA, click, page_text, params

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup
VALIDATE = reverse("portal:cart_validate")


@pytest.fixture
def with_replica_alias(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A replica is configured (the router's decisions only, no connection)."""
    monkeypatch.setattr(read_replica, "replica_configured", lambda: True)
    read_replica.reset_replica_state()
    token = read_replica._pinned.set(False)
    yield
    read_replica._pinned.reset(token)
    read_replica.reset_replica_state()


@pytest.fixture
def lagging_replica(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A replica alias with a real connection that lags behind the primary (module docstring).
    Added after the test's database set-up, removed before its tear-down."""
    primary = connections[DEFAULT_DB_ALIAS]
    copy: dict[str, Any] = dict(primary.settings_dict)
    if primary.vendor == "sqlite":
        copy["NAME"] = ":memory:"  # filled below with a copy of the test database
    # Created here rather than declared in settings.DATABASES: Django's test case allows a
    # connection it did not set up, and leaves it alone.
    monkeypatch.setattr(read_replica, "replica_configured", lambda: True)
    read_replica.reset_replica_state()
    token = read_replica._pinned.set(False)
    replica = load_backend(copy["ENGINE"]).DatabaseWrapper(copy, REPLICA)
    connections[REPLICA] = replica
    replica.ensure_connection()
    if primary.vendor == "sqlite":
        primary.ensure_connection()
        replica.connection.deserialize(primary.connection.serialize())
    try:
        yield
    finally:
        read_replica._pinned.reset(token)
        read_replica.reset_replica_state()
        replica.close()
        del connections[REPLICA]


def router_choice() -> str:
    return ReplicaRouter().db_for_read(Booking)


def test_reads_stay_on_the_primary_unless_asked(with_replica_alias: None) -> None:
    assert router_choice() == DEFAULT_DB_ALIAS
    with replica_reads():
        assert router_choice() == REPLICA
    assert router_choice() == DEFAULT_DB_ALIAS


def test_pinned_sessions_writes_and_transactions_read_the_primary(
    db: None, with_replica_alias: None
) -> None:
    router = ReplicaRouter()
    with replica_reads():
        with primary_pinned():
            assert router_choice() == DEFAULT_DB_ALIAS
        # The session and the sign-in always read the primary.
        assert router.db_for_read(Cart) == REPLICA
        from django.contrib.sessions.models import Session

        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert router_choice() == DEFAULT_DB_ALIAS
    with replica_reads(), primary_pinned():
        pass
    with replica_reads():
        assert router.db_for_write(Booking) == DEFAULT_DB_ALIAS
        assert router_choice() == DEFAULT_DB_ALIAS  # the request wrote: it reads what it wrote


def test_writes_and_migrations_never_go_to_the_replica(with_replica_alias: None) -> None:
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Booking) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "bookings") is True
    assert router.allow_migrate(REPLICA, "bookings") is False


def test_a_failed_replica_is_left_alone(with_replica_alias: None) -> None:
    read_replica.mark_replica_down()
    with replica_reads():
        assert router_choice() == DEFAULT_DB_ALIAS
    read_replica.reset_replica_state()
    with replica_reads():
        assert router_choice() == REPLICA


def test_without_a_replica_nothing_is_routed_nor_pinned(setup: Setup) -> None:
    assert REPLICA not in settings.DATABASES
    with replica_reads():
        assert router_choice() == DEFAULT_DB_ALIAS
    click(setup, "REPAS", THU_12)
    response = setup.family.client.post(VALIDATE, params(setup))
    assert PIN_COOKIE not in response.cookies


def test_the_parent_who_validated_sees_the_booking_on_a_lagging_replica(
    setup: Setup, lagging_replica: None
) -> None:
    click(setup, "REPAS", THU_12)
    response = setup.family.client.post(VALIDATE, params(setup))
    assert response.status_code == 302
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS
    with municipality_scope(setup.paul.municipality):
        assert Booking.objects.get().status == BookingStatus.VALIDATED  # on the primary
        with replica_reads():
            assert not Booking.objects.exists()  # the replica has not caught up
    # The next page, within the pin's lifetime, reads the primary: the booking is shown.
    page = page_text(setup.family.client.get(AGENDA, params(setup)))
    assert "Réservation validée" in page


def test_an_unpinned_agenda_reads_the_replica(
    setup: Setup, lagging_replica: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    original = ReplicaRouter.db_for_read

    def spy(self: ReplicaRouter, model: Any, **hints: Any) -> str:
        seen.append(original(self, model, **hints))
        return seen[-1]

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    setup.family.client.cookies.pop(PIN_COOKIE, None)
    setup.family.client.get(AGENDA, params(setup))
    assert REPLICA in seen


def test_a_page_whose_replica_fails_is_computed_on_the_primary(
    setup: Setup, lagging_replica: None
) -> None:
    calls: list[str] = []

    @replica_reads_view
    def page(request: Any) -> str:
        calls.append(router_choice())
        if router_choice() == REPLICA:
            connections[REPLICA].close()
            with connections[REPLICA].cursor() as cursor:  # reopens, then fails below
                connections[REPLICA].connection.close()
                cursor.execute("SELECT 1")
        return "ok"

    assert page(None) == "ok"
    assert calls == [REPLICA, DEFAULT_DB_ALIAS]
    with replica_reads():
        assert router_choice() == DEFAULT_DB_ALIAS  # left alone for a while
