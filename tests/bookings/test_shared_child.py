"""A child shared between the households of separated parents: each household books its own
days; a day one household booked is refused to the other with its reason, shown to it as
"Réservé par l'autre foyer", and counted once in the ledger and the kitchen counts."""

from __future__ import annotations

from datetime import date

import pytest

from espacefamille.bookings.agenda import CellState, week_grid
from espacefamille.bookings.cart import cart_add_period, cart_toggle
from espacefamille.bookings.errors import Reason
from espacefamille.bookings.feeds import calendar_feed_ics, calendar_feed_renew, household_feeds
from espacefamille.bookings.models import Booking, BookingStatus, ProductDay
from espacefamille.core.dates import monday_of
from espacefamille.households.child_links import child_link_household, custody_pattern_set
from espacefamille.households.models import CustodyKind
from espacefamille.kitchen.counts import kitchen_counts
from espacefamille.payments.cancellations import cart_validate

from ..conftest import Family, make_family
from .conftest import FRI_13, MON_16, THU_12, TUE_17, Setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def martin(setup: Setup) -> Family:
    """Paul's other parent: a household of its own, Paul linked to it, Julie not."""
    other = make_family(setup.family.household.municipality, email="martin@example.org")
    other.household.name = "MARTIN"
    other.household.save()
    child_link_household(child=setup.paul, household=other.household, actor=None)
    return other


def _book(family: Family, setup: Setup, product: str, day: date) -> None:
    result = cart_toggle(
        household=family.household, child=setup.paul, product=setup.p(product), day=day
    )
    assert result.refusal is None, result.refusal
    assert cart_validate(household=family.household, user=family.user).ok


def test_each_household_books_its_own_days(setup: Setup, martin: Family) -> None:
    _book(setup.family, setup, "REPAS", THU_12)
    _book(martin, setup, "REPAS", FRI_13)
    owners = dict(Booking.objects.values_list("date", "household_id"))
    assert owners == {THU_12: setup.family.household.pk, FRI_13: martin.household.pk}


def test_a_day_the_other_household_booked_is_refused_with_its_reason(
    setup: Setup, martin: Family
) -> None:
    meal = setup.p("REPAS")
    meal.capacity = 30
    meal.save()
    _book(setup.family, setup, "REPAS", THU_12)
    result = cart_toggle(household=martin.household, child=setup.paul, product=meal, day=THU_12)
    assert result.action == "refused"
    assert result.refusal is not None and result.refusal.reason == Reason.OTHER_HOUSEHOLD
    assert "autre foyer" in result.refusal.message
    # The incompatible product is refused for the same reason, without naming the other's.
    veggie = cart_toggle(
        household=martin.household,
        child=setup.paul,
        product=setup.p("REPAS VEGETARIEN"),
        day=THU_12,
    )
    assert veggie.refusal is not None and veggie.refusal.reason == Reason.OTHER_HOUSEHOLD
    # One child, one place, whoever booked it.
    assert Booking.objects.filter(child=setup.paul, date=THU_12).count() == 1
    assert ProductDay.objects.get(product=meal, date=THU_12).taken == 1
    counts = kitchen_counts(service=setup.restaurant, start=THU_12, end=THU_12, today=THU_12)
    booked = sum(c.booked for site in counts.days[0].sites for c in site.products)
    assert booked == 1


def test_the_other_household_cannot_cancel_and_sees_no_detail(setup: Setup, martin: Family) -> None:
    _book(setup.family, setup, "REPAS", THU_12)
    result = cart_toggle(
        household=martin.household, child=setup.paul, product=setup.p("REPAS"), day=THU_12
    )
    assert result.action == "refused"
    assert Booking.objects.get(date=THU_12).status == BookingStatus.VALIDATED
    rows = week_grid(
        household=martin.household,
        child=setup.paul,
        service=setup.restaurant,
        monday=monday_of(THU_12),
    )
    cells = {(row.product.name, cell.day): cell for row in rows for cell in row.cells}
    theirs = cells[("REPAS", THU_12)]
    assert theirs.state == CellState.OTHER_HOUSEHOLD
    assert theirs.label == "Réservé par l'autre foyer"
    assert not theirs.clickable
    assert cells[("REPAS VEGETARIEN", THU_12)].state == CellState.OTHER_HOUSEHOLD
    mine = week_grid(
        household=setup.family.household,
        child=setup.paul,
        service=setup.restaurant,
        monday=monday_of(THU_12),
    )
    assert {c.state for row in mine for c in row.cells if c.day == THU_12} >= {CellState.VALIDATED}


def test_an_unlinked_household_no_longer_books_the_child(setup: Setup, martin: Family) -> None:
    from espacefamille.bookings.errors import BookingError
    from espacefamille.households.child_links import child_unlink_household

    _book(martin, setup, "REPAS", THU_12)
    child_unlink_household(child=setup.paul, household=martin.household, actor=None)
    with pytest.raises(BookingError):
        cart_toggle(
            household=martin.household, child=setup.paul, product=setup.p("REPAS"), day=FRI_13
        )
    # History stays with the household that made it.
    assert Booking.objects.get(date=THU_12).household_id == martin.household.pk


def test_the_custody_pattern_fills_the_period_and_warns_but_never_refuses(
    setup: Setup, martin: Family
) -> None:
    custody_pattern_set(
        child=setup.paul,
        kind=CustodyKind.ALTERNATE_WEEKS,
        start_date=THU_12,  # week A (09/11) with DUPONT, week B (16/11) with MARTIN
        home_weekdays=set(),
        actor=None,
    )
    patterns = {setup.paul: {setup.p("REPAS"): {0, 1, 3, 4}}}
    own = cart_add_period(
        household=martin.household,
        start=THU_12,
        end=TUE_17,
        patterns=patterns,
        own_days_only={setup.paul.pk},
    )
    assert own.added == 2 and own.other_custody_days == 0  # Monday 16 and Tuesday 17
    # Without the filter, DUPONT's days are added too, with a warning.
    anyway = cart_add_period(
        household=martin.household, start=THU_12, end=FRI_13, patterns=patterns
    )
    assert anyway.added == 2 and anyway.other_custody_days == 2
    click = cart_toggle(
        household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=MON_16
    )
    assert click.action == "added" and click.other_custody_day


def test_each_household_has_its_own_calendar_feed_listing_its_own_days(
    setup: Setup, martin: Family
) -> None:
    """A shared child's private calendar address belongs to the household that created it and
    lists that household's days only (the other household's days would tell what it booked)."""
    _book(setup.family, setup, "REPAS", THU_12)
    _book(martin, setup, "REPAS", FRI_13)
    dupont_feed = calendar_feed_renew(child=setup.paul, household=setup.family.household)
    martin_feed = calendar_feed_renew(child=setup.paul, household=martin.household)
    assert dupont_feed.token != martin_feed.token
    dupont_text = calendar_feed_ics(token=dupont_feed.token, today=THU_12)
    martin_text = calendar_feed_ics(token=martin_feed.token, today=THU_12)
    assert dupont_text is not None and martin_text is not None
    assert "DTSTART;VALUE=DATE:20261112" in dupont_text
    assert "DTSTART;VALUE=DATE:20261113" not in dupont_text
    assert "DTSTART;VALUE=DATE:20261113" in martin_text
    assert "DTSTART;VALUE=DATE:20261112" not in martin_text
    # Renewing one household's address leaves the other's working.
    calendar_feed_renew(child=setup.paul, household=martin.household)
    assert calendar_feed_ics(token=dupont_feed.token, today=THU_12) is not None
    assert calendar_feed_ics(token=martin_feed.token) is None
    assert set(household_feeds(household=setup.family.household)) == {setup.paul.pk}
    assert household_feeds(household=setup.family.household)[setup.paul.pk] == dupont_feed
