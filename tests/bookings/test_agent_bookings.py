"""An agent books or cancels for a family: past the deadline only with a reason (logged),
never past the capacity."""

from __future__ import annotations

from datetime import date

import pytest

from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.agent_bookings import booking_create_for_family
from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.bookings.models import Booking, BookingStatus, ProductDay
from espacefamille.payments.cancellations import booking_cancel_for_family

from .conftest import MON_16, Setup

pytestmark = pytest.mark.django_db(transaction=True)

TUE_10 = date(2026, 11, 10)  # today at NOW: the booking deadline has passed


def test_past_the_deadline_needs_a_reason(setup: Setup) -> None:
    actor = setup.family.user
    with pytest.raises(BookingError) as refused:
        booking_create_for_family(
            child=setup.paul, product=setup.p("REPAS"), day=TUE_10, actor=actor
        )
    assert refused.value.reason == Reason.PAST_DEADLINE
    booking = booking_create_for_family(
        child=setup.paul,
        product=setup.p("REPAS"),
        day=TUE_10,
        actor=actor,
        reason="Appel de la mère à 9 h",
    )
    assert booking.status == BookingStatus.VALIDATED
    entry = ActionLogEntry.objects.get(action="booking.agent_create")
    assert entry.changes["reason"] == ["", "Appel de la mère à 9 h"]
    assert entry.changes["deadline_waived"] == ["", "oui"]
    assert entry.actor == actor


def test_never_past_the_capacity_even_with_a_reason(setup: Setup) -> None:
    product = setup.p("REPAS")
    product.capacity = 1
    product.save()
    booking_create_for_family(child=setup.julie, product=product, day=MON_16, actor=None)
    with pytest.raises(BookingError) as refused:
        booking_create_for_family(
            child=setup.paul, product=product, day=MON_16, actor=None, reason="urgence"
        )
    assert refused.value.reason == Reason.FULL
    # Past the deadline too: the reason waives the deadline, not the capacity.
    booking_create_for_family(
        child=setup.julie, product=product, day=TUE_10, actor=None, reason="oubli"
    )
    with pytest.raises(BookingError) as late:
        booking_create_for_family(
            child=setup.paul, product=product, day=TUE_10, actor=None, reason="urgence"
        )
    assert late.value.reason == Reason.FULL
    assert ProductDay.objects.get(product=product, date=MON_16).taken == 1


def test_cancel_for_a_family_frees_the_place_and_is_logged(setup: Setup) -> None:
    product = setup.p("REPAS")
    product.capacity = 1
    product.save()
    booking = booking_create_for_family(child=setup.paul, product=product, day=MON_16, actor=None)
    booking_cancel_for_family(booking=booking, actor=setup.family.user)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert ProductDay.objects.get(product=product, date=MON_16).taken == 0
    assert ActionLogEntry.objects.filter(action="booking.agent_cancel").count() == 1


def test_cancel_past_the_deadline_needs_a_reason(setup: Setup) -> None:
    booking = booking_create_for_family(
        child=setup.paul, product=setup.p("REPAS"), day=TUE_10, actor=None, reason="oubli"
    )
    with pytest.raises(BookingError) as refused:
        booking_cancel_for_family(booking=booking, actor=None)
    assert refused.value.reason == Reason.NOT_CANCELLABLE
    booking_cancel_for_family(booking=booking, actor=None, reason="enfant malade")
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_an_incompatible_product_is_refused_even_past_the_deadline(setup: Setup) -> None:
    """``rules.check_incompatible`` applies to the agent as to the family's cart."""
    booking_create_for_family(child=setup.paul, product=setup.p("REPAS"), day=MON_16, actor=None)
    booking_create_for_family(
        child=setup.paul, product=setup.p("REPAS"), day=TUE_10, actor=None, reason="oubli"
    )
    for day, reason in ((MON_16, ""), (TUE_10, "oubli")):
        with pytest.raises(BookingError) as refused:
            booking_create_for_family(
                child=setup.paul,
                product=setup.p("REPAS VEGETARIEN"),
                day=day,
                actor=None,
                reason=reason,
            )
        assert refused.value.reason == Reason.INCOMPATIBLE
        assert "REPAS" in refused.value.message


def test_cancel_for_a_family_is_refused_on_a_day_invoiced_for_good(setup: Setup) -> None:
    """Issue 16, item 5: a correction of an invoiced day goes through a credit note."""
    from espacefamille.billing.models import InvoiceRun, RunState

    booking = booking_create_for_family(
        child=setup.paul, product=setup.p("REPAS"), day=MON_16, actor=None
    )
    InvoiceRun.objects.create(
        municipality_id=booking.municipality_id,
        service=setup.restaurant,
        month=date(2026, 11, 1),
        state=RunState.FINAL,
    )
    with pytest.raises(BookingError) as refused:
        booking_cancel_for_family(booking=booking, actor=None, reason="erreur de saisie")
    assert refused.value.reason == Reason.INVOICED
    assert "avoir" in refused.value.message
    booking.refresh_from_db()
    assert booking.status == BookingStatus.VALIDATED
    assert not ActionLogEntry.objects.filter(action="booking.agent_cancel").exists()
