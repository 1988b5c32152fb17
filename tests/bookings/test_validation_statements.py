"""Issue 17: a validation's statements are as few as they can be. The town (whose
calendar_version says whether the cached calendar holds) comes with the cart's lines, not in a
statement of its own; the cart's row is locked, checked and marked by one UPDATE; holds are read
only when some expired; a fresh ledger day counts its places in one statement; the portal's
"Valider" reads the lines once and no webhook subscription nobody needs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from espacefamille.bookings import validation
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Booking, Cart, CartLine, ProductDay
from espacefamille.catalog.models import Closure
from espacefamille.payments.cancellations import cart_validate

from .conftest import FRI_13, NOW, THU_12, Setup

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_town_is_read_with_the_cart_lines(setup: Setup) -> None:
    for day in (THU_12, FRI_13):
        cart_toggle(
            household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=day
        )
    with CaptureQueriesContext(connection) as queries:
        result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert result.ok and len(result.booked) == 2
    statements = [query["sql"] for query in queries.captured_queries]
    assert '"core_municipality"' in statements[0]  # joined to the cart's lines
    alone = [sql for sql in statements if sql.startswith('SELECT "core_municipality"."id"')]
    assert alone == []


def _two_meals(setup: Setup) -> None:
    for day in (THU_12, FRI_13):
        cart_toggle(
            household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=day
        )


def _cart(setup: Setup) -> Cart:
    return Cart.objects.get(household=setup.family.household)


def test_the_cart_is_locked_checked_and_marked_in_one_statement(setup: Setup) -> None:
    """Issue 17: no read of the cart's row under the lock, no save after: one conditional
    UPDATE locks it, checks it did not change since its lines were read, and marks it."""
    _two_meals(setup)
    with CaptureQueriesContext(connection) as queries:
        result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert result.ok and len(result.booked) == 2
    statements = [query["sql"] for query in queries.captured_queries]
    assert [sql for sql in statements if sql.startswith('SELECT "bookings_cart".')] == []
    assert len([sql for sql in statements if sql.startswith('UPDATE "bookings_cart"')]) == 1
    assert _cart(setup).last_validated_at == NOW


def test_a_cart_changed_since_its_lines_were_read_is_read_again(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another tab adds a line between the read and the lock: the conditional UPDATE matches
    nothing, the lines are read again under the lock and the new one is validated too."""
    _two_meals(setup)
    original = validation._prepare
    calls = []

    def prepare_then_change(*args, **kwargs):  # type: ignore[no-untyped-def]
        prepared = original(*args, **kwargs)
        calls.append(prepared)
        if len(calls) == 1:
            cart_toggle(
                household=setup.family.household,
                child=setup.julie,
                product=setup.p("REPAS"),
                day=THU_12,
            )
            Cart.objects.filter(pk=prepared.cart.pk).update(updated_at=NOW + timedelta(seconds=1))
        return prepared

    monkeypatch.setattr(validation, "_prepare", prepare_then_change)
    result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert result.ok and len(calls) == 2
    assert sorted((b.child_id, b.date) for b in result.booked) == sorted(
        [(setup.paul.pk, THU_12), (setup.paul.pk, FRI_13), (setup.julie.pk, THU_12)]
    )
    assert _cart(setup).last_validated_at == NOW
    assert not CartLine.objects.exists()


def test_a_refused_validation_does_not_mark_the_cart_validated(setup: Setup) -> None:
    _two_meals(setup)
    Closure.objects.create(
        municipality=setup.paul.municipality, start_date=FRI_13, end_date=FRI_13, reason="Grève"
    )
    result = cart_validate(household=setup.family.household, user=setup.family.user)
    assert not result.ok
    assert _cart(setup).last_validated_at is None
    assert [line.error != "" for line in CartLine.objects.order_by("date")] == [False, True]
    assert not Booking.objects.exists()


def test_a_refusal_writes_only_the_reasons_that_change(setup: Setup) -> None:
    """The same refusal again writes no line; when the closure moves to the other day, the line
    now open loses its reason and the line now closed gets one."""
    _two_meals(setup)
    town = setup.paul.municipality
    closure = Closure.objects.create(
        municipality=town, start_date=FRI_13, end_date=FRI_13, reason="Grève"
    )
    assert not cart_validate(household=setup.family.household, user=setup.family.user).ok

    def validate_and_list_line_updates() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert not cart_validate(household=setup.family.household, user=setup.family.user).ok
        return [
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].startswith('UPDATE "bookings_cartline"')
        ]

    assert validate_and_list_line_updates() == []
    errors = [line.error for line in CartLine.objects.order_by("date")]
    assert errors[0] == "" and "Grève" in errors[1]
    closure.delete()
    Closure.objects.create(municipality=town, start_date=THU_12, end_date=THU_12, reason="Grève")
    assert len(validate_and_list_line_updates()) == 2  # one reason set, one cleared
    errors = [line.error for line in CartLine.objects.order_by("date")]
    assert "Grève" in errors[0] and errors[1] == ""
    assert not Booking.objects.exists()


def test_no_hold_is_read_when_none_expired(setup: Setup) -> None:
    """The ledger's lock says whether a day has expired holds: none, no statement for them
    (their release is test_ledger.py's test_an_expired_hold_frees_its_place_…)."""
    _two_meals(setup)
    with CaptureQueriesContext(connection) as queries:
        assert cart_validate(household=setup.family.household, user=setup.family.user).ok
    reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "bookings_placehold"."id"')
    ]
    assert reads == []


def test_a_fresh_ledger_day_counts_its_places_in_one_statement(setup: Setup) -> None:
    """Bookings and holds of days never written before are counted in one statement."""
    _two_meals(setup)
    assert not ProductDay.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        assert cart_validate(household=setup.family.household, user=setup.family.user).ok
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(*)" in query["sql"]]
    assert len(counts) == 1 and "UNION ALL" in counts[0]
    assert sorted(ProductDay.objects.values_list("date", "taken")) == [(THU_12, 1), (FRI_13, 1)]
    call_command("check_capacity")


def test_one_valider_reads_the_lines_once_and_no_subscription(setup: Setup) -> None:
    """Issue 17: a parent's "Valider" (the portal's POST) reads the cart's lines once (the
    view's prepaid branch and the booking service share them) and, the town listening to no
    booking event, no webhook subscription after its commit (were two reads and one)."""
    _two_meals(setup)
    with CaptureQueriesContext(connection) as queries:
        response = setup.family.client.post("/reservations/panier/valider/", secure=True)
    assert response.status_code == 302
    statements = [query["sql"] for query in queries.captured_queries]
    assert len([sql for sql in statements if sql.startswith('SELECT "bookings_cartline"')]) == 1
    assert [sql for sql in statements if '"api_webhooksubscription"' in sql] == []
    assert Booking.objects.filter(household=setup.family.household).count() == 2
