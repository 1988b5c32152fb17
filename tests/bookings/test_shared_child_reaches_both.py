"""A shared child (issue 22) on the pages and messages added beside it (issues 20 and 21): the
second household sees the child on its home and may report its absence; a message to the
families of a régie reaches both households; a booking's notices go to the household that
booked it."""

from __future__ import annotations

import pytest

from espacefamille.attendance.absences import absence_report_create
from espacefamille.attendance.models import AbsenceReason, AbsenceReport
from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.models import Booking
from espacefamille.households.child_links import child_link_household
from espacefamille.news.models import NewsPost
from espacefamille.news.selectors import news_for_household
from espacefamille.notifications.models import Audience
from espacefamille.notifications.town_messages import audience_households
from espacefamille.payments.cancellations import cart_validate
from espacefamille.portal.home_summary import home_summary

from ..conftest import Family, make_family
from .conftest import FRI_13, THU_12, Setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def martin(setup: Setup) -> Family:
    other = make_family(setup.family.household.municipality, email="martin@example.org")
    child_link_household(child=setup.paul, household=other.household, actor=None)
    return other


def _book(family: Family, setup: Setup, day) -> None:  # type: ignore[no-untyped-def]
    result = cart_toggle(
        household=family.household, child=setup.paul, product=setup.p("REPAS"), day=day
    )
    assert result.refusal is None, result.refusal
    assert cart_validate(household=family.household, user=family.user).ok


def test_the_second_household_home_shows_the_child_with_its_own_days(
    setup: Setup, martin: Family
) -> None:
    _book(setup.family, setup, THU_12)
    _book(martin, setup, FRI_13)
    summary = home_summary(household=martin.household, today=THU_12)
    assert [item.child for item in summary.children] == [setup.paul]
    shown = {day.day for day in summary.children[0].days if day.items}
    assert FRI_13 in shown and THU_12 not in shown  # DUPONT's Thursday is not MARTIN's


def test_a_message_to_a_regie_reaches_both_households(setup: Setup, martin: Family) -> None:
    reached = audience_households(
        audience=Audience.SERVICE, target=str(setup.restaurant.pk), today=THU_12
    )
    assert set(reached) == {setup.family.household.pk, martin.household.pk}


def test_a_message_to_a_day_reaches_the_household_that_booked(setup: Setup, martin: Family) -> None:
    _book(martin, setup, FRI_13)
    reached = audience_households(audience=Audience.DAY, target=FRI_13.isoformat(), today=THU_12)
    assert reached == [martin.household.pk]
    assert Booking.objects.get(date=FRI_13).household_id == martin.household.pk


def test_the_second_household_reports_the_shared_child_absent(setup: Setup, martin: Family) -> None:
    _book(martin, setup, FRI_13)
    absence_report_create(
        household=martin.household,
        child=setup.paul,
        first_day=FRI_13,
        last_day=FRI_13,
        reason=AbsenceReason.ILLNESS,
        certificate=None,
        actor=martin.user,
    )
    assert AbsenceReport.objects.filter(child=setup.paul).count() == 1


def test_news_for_a_regie_reach_the_second_household(setup: Setup, martin: Family) -> None:
    town = setup.family.household.municipality
    post = NewsPost.objects.create(municipality=town, title="Menus", text="…")
    post.services.set([setup.restaurant], through_defaults={"municipality": town})
    assert post in news_for_household(household=martin.household, today=THU_12)
