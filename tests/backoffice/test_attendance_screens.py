"""The "Pointage" screens: the sheet shows what a facilitator needs, a tap answers JSON (or
redirects without JavaScript) and is applied once, bad input gets a French message, and a
facilitator sees and points only the children of their own sites."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest
import time_machine

from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Attendance, AttendanceState, Booking, BookingStatus
from espacefamille.catalog.deadlines import PARIS
from espacefamille.catalog.models import Product
from espacefamille.catalog.services import enrollment_enroll
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog
from espacefamille.households.models import AuthorizedPickup, Child

from ..factories import ChildFactory, HouseholdFactory, site_named
from .helpers import Agent, make_agent, page_text

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=PARIS)
DAY = date(2026, 11, 9)


@dataclass
class Day:
    town: Municipality
    product: Product
    centre: Child
    tilleuls: Child

    @property
    def sheet(self) -> str:
        return f"/agents/pointage/{self.product.pk}/{DAY.isoformat()}/"

    @property
    def tap(self) -> str:
        return self.sheet + "pointer/"


@pytest.fixture
def day(town: Municipality) -> Iterator[Day]:
    with time_machine.travel(NOW, tick=False), municipality_scope(town):
        restaurant = load_catalog(town)[0]
        household = HouseholdFactory(municipality=town, name="MARTIN")
        centre = ChildFactory(household=household, first_name="Inès", has_care_plan=True)
        tilleuls = ChildFactory(household=household, first_name="Tom")
        enrollment_enroll(
            child=centre,
            service=restaurant,
            school_year=2026,
            school_class="CE1",
            site=site_named(town, "Centre"),
        )
        enrollment_enroll(
            child=tilleuls,
            service=restaurant,
            school_year=2026,
            site=site_named(town, "Tilleuls"),
        )
        AuthorizedPickup.objects.create(
            municipality=town,
            household=household,
            last_name="MARTIN",
            first_name="Odile",
            phone="+33606060606",
            relationship="Grand-mère",
        )
        product = Product.objects.get(name="REPAS")
        bookings_record_history(
            bookings=[
                Booking(
                    municipality=town,
                    child=child,
                    product=product,
                    date=DAY,
                    status=BookingStatus.VALIDATED,
                )
                for child in (centre, tilleuls)
            ]
        )
        yield Day(town, product, centre, tilleuls)


def _tap(agent: Agent, day: Day, child: Child, action: str, tap: str = "", **extra: str):  # type: ignore[no-untyped-def]
    return agent.client.post(
        day.tap,
        {"child": child.pk, "action": action, "tap": tap or str(uuid.uuid4()), **extra},
        headers={"Accept": "application/json"},
    )


def test_the_chooser_opens_the_sheet_of_the_chosen_day(day: Day, administrator: Agent) -> None:
    response = administrator.client.get(
        "/agents/pointage/", {"product": day.product.pk, "day": DAY.isoformat(), "site": ""}
    )
    assert response["Location"] == day.sheet


def test_the_sheet_shows_class_pai_and_who_may_pick_up(day: Day, administrator: Agent) -> None:
    text = page_text(administrator.client.get(day.sheet))
    assert "Inès" in text and "CE1" in text and "PAI" in text
    assert "Odile MARTIN (Grand-mère)" in text
    assert "Tom" in text  # every site for an administrator
    assert 'aria-pressed="true"' not in text


def test_a_tap_answers_the_saved_state_and_is_applied_once(day: Day, administrator: Agent) -> None:
    tap = str(uuid.uuid4())
    first = _tap(administrator, day, day.centre, "absent", tap, tapped_at="2026-11-09T10:00:00Z")
    again = _tap(administrator, day, day.centre, "absent", tap, tapped_at="2026-11-09T10:00:00Z")
    assert first.status_code == again.status_code == 200
    assert json.loads(first.content)["applied"] is True
    assert json.loads(again.content) | {"applied": None} == json.loads(first.content) | {
        "applied": None
    }
    assert json.loads(again.content)["message"] == "enregistré"
    with municipality_scope(day.town):
        assert Attendance.objects.get(child=day.centre).state == AttendanceState.ABSENT
        assert ActionLogEntry.objects.filter(action="attendance.record").count() == 1
    assert 'value="absent" class="tap tap-absent" aria-pressed="true"' in page_text(
        administrator.client.get(day.sheet)
    )


def test_without_javascript_a_tap_redirects_to_the_row(day: Day, regie: Agent) -> None:
    assert "Tom" in page_text(regie.client.get(day.sheet, {"site": "Tilleuls"}))
    response = regie.client.post(day.tap, {"child": day.centre.pk, "action": "present"})
    assert response["Location"] == day.sheet + f"#enfant-{day.centre.pk}"
    assert "Pointage enregistré" in page_text(regie.client.get(day.sheet))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"action": "late"}, "Choisissez présent"),
        ({"action": "present", "tap": "not-a-uuid"}, "rechargez la page"),
        ({"action": "present", "tapped_at": "hier"}, "rechargez la page"),
    ],
)
def test_bad_input_gets_a_french_message_and_writes_nothing(
    day: Day, administrator: Agent, fields: dict[str, str], message: str
) -> None:
    response = administrator.client.post(
        day.tap, {"child": day.centre.pk, **fields}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert message in json.loads(response.content)["message"]
    with municipality_scope(day.town):
        assert not Attendance.objects.exists()


def test_a_day_to_come_is_refused(day: Day, administrator: Agent) -> None:
    url = f"/agents/pointage/{day.product.pk}/2026-11-12/pointer/"
    response = administrator.client.post(
        url, {"child": day.centre.pk, "action": "present"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert "jour à venir" in json.loads(response.content)["message"]


def test_a_facilitator_sees_and_points_only_their_sites(day: Day, town: Municipality) -> None:
    facilitator = make_agent(town, "facilitator", sites=["Centre"])
    text = page_text(facilitator.client.get(day.sheet))
    assert "Inès" in text and "Tom" not in text
    assert facilitator.client.get(day.sheet, {"site": "Tilleuls"}).status_code == 404
    assert facilitator.client.get(day.sheet, {"site": "Centre"}).status_code == 200
    assert _tap(facilitator, day, day.tilleuls, "present").status_code == 404
    assert _tap(facilitator, day, day.centre, "present").status_code == 200
    chooser = page_text(facilitator.client.get("/agents/pointage/"))
    assert "Tilleuls" not in chooser and "Centre" in chooser
    assert facilitator.client.get("/agents/reservations/jour/").status_code == 403


def test_the_search_adds_an_enrolled_child_present_without_booking(
    day: Day, administrator: Agent
) -> None:
    with municipality_scope(day.town):
        extra = ChildFactory(household=day.centre.household, first_name="Noé")
        enrollment_enroll(
            child=extra,
            service=day.product.service,
            school_year=2026,
            site=site_named(day.town, "Centre"),
        )
    text = page_text(administrator.client.get(day.sheet, {"q": "Noé"}))
    assert "Ajouter présent" in text and "Noé" in text
    assert _tap(administrator, day, extra, "present").status_code == 200
    with municipality_scope(day.town):
        assert Attendance.objects.get(child=extra).state == AttendanceState.PRESENT_UNBOOKED
    assert "présent sans réservation" in page_text(administrator.client.get(day.sheet))
