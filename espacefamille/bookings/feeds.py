"""Each child's private calendar address ("agenda partagé"): a random token in the URL, revoked
by issuing a new one. The feed lists the child's validated bookings as all-day events: those
of the household that created the address only (a child shared by separated parents has one
address per household, and neither lists what the other household booked)."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from espacefamille.core.tenancy import municipality_scope, scopes_disabled
from espacefamille.households.models import Child, Household
from espacefamille.households.sharing import member_q

from .ical import AllDayEvent, build_calendar
from .models import Booking, BookingStatus, CalendarFeed

# How far back the feed goes (the future is not limited: a year at most is ever booked).
FEED_HISTORY = timedelta(days=92)


def new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_renew(*, child: Child, household: Household) -> CalendarFeed:
    """Create the household's feed of the child, or give it a new address: the old one stops
    working at once (the other household's address of a shared child is left alone)."""
    feed, _created = CalendarFeed.objects.update_or_create(
        municipality_id=child.municipality_id,
        child=child,
        household=household,
        defaults={"token": new_token(), "created_at": timezone.now()},
    )
    return feed


def household_feeds(*, household: Household) -> dict[int, CalendarFeed]:
    """The household's feeds of its children, by child id."""
    return {
        feed.child_id: feed
        for feed in CalendarFeed.objects.filter(
            member_q(household, child_field="child"), household=household
        )
    }


def calendar_feed_ics(
    *, token: str, today: date | None = None, now: datetime | None = None
) -> str | None:
    """The iCalendar text of the feed ``token`` (None for an unknown or revoked token). The
    request is anonymous: the token finds the town, whose scope is then opened here."""
    with scopes_disabled():
        feed = CalendarFeed.objects.filter(token=token).select_related("child").first()
    if feed is None:
        return None
    today = today or timezone.localdate()
    child = feed.child
    with municipality_scope(feed.municipality_id):
        bookings = (
            Booking.objects.filter(
                child=child,
                household_id=feed.household_id,
                status=BookingStatus.VALIDATED,
                date__gte=today - FEED_HISTORY,
            )
            .select_related("product")
            .order_by("date", "product__position", "product__name")
        )
        events = [
            AllDayEvent(
                uid=f"reservation-{booking.pk}@espacefamille",
                start=booking.date,
                end=(booking.end_date or booking.date) + timedelta(days=1),
                summary=f"{booking.product.name} — {child.first_name}",
            )
            for booking in bookings
        ]
    return build_calendar(
        name=f"{child.first_name} {child.last_name}", events=events, now=now or timezone.now()
    )
