"""The iCalendar writer (RFC 5545) and the children's calendar feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from espacefamille.bookings.cart import cart_toggle
from espacefamille.bookings.feeds import calendar_feed_ics, calendar_feed_renew
from espacefamille.bookings.ical import AllDayEvent, build_calendar, escape_text, fold
from espacefamille.payments.cancellations import cart_validate

from .conftest import MON_16, THU_12, Setup

NOW = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)


def test_text_escaping() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("ligne 1\r\nligne 2") == "ligne 1\\nligne 2"


def test_folding_at_75_octets_keeps_utf8_characters_whole() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_calendar_layout() -> None:
    text = build_calendar(
        name="Paul DUPONT",
        events=[AllDayEvent("r-1@x", date(2026, 11, 12), date(2026, 11, 13), "REPAS — Paul, CP")],
        now=NOW,
    )
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends with CRLF
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(x.startswith("PRODID:") for x in lines)
    event = lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT") + 1]
    assert "UID:r-1@x" in event
    assert "DTSTAMP:20261110T080000Z" in event
    assert "DTSTART;VALUE=DATE:20261112" in event
    assert "DTEND;VALUE=DATE:20261113" in event
    assert "SUMMARY:REPAS — Paul\\, CP" in event


@pytest.mark.django_db(transaction=True)
def test_feed_lists_validated_bookings_and_renewal_revokes(setup: Setup) -> None:
    for day in (THU_12, MON_16):
        cart_toggle(
            household=setup.family.household, child=setup.paul, product=setup.p("REPAS"), day=day
        )
    cart_validate(household=setup.family.household, user=setup.family.user)
    # In the cart only (not validated): not in the feed.
    cart_toggle(
        household=setup.family.household,
        child=setup.paul,
        product=setup.p("GARDERIE AVANT REPAS"),
        day=MON_16,
    )
    feed = calendar_feed_renew(child=setup.paul, household=setup.family.household)
    assert len(feed.token) >= 43
    text = calendar_feed_ics(token=feed.token, now=NOW)
    assert text is not None
    assert text.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:REPAS — Paul\r\n" in text
    assert "DTSTART;VALUE=DATE:20261112\r\n" in text and "GARDERIE" not in text
    renewed = calendar_feed_renew(child=setup.paul, household=setup.family.household)
    assert renewed.pk == feed.pk and renewed.token != feed.token
    assert calendar_feed_ics(token=feed.token) is None
    assert calendar_feed_ics(token="inconnu") is None
