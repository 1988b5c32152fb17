"""What a hostile tester found in the back office (issue 15, defects 3 and 4), each as a test
that failed before its fix: a régie agent's markup on an administrator's screen, dates at the
ends of Python's range (OverflowError), an id that ``isdigit`` takes for a number."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from espacefamille.bookings.models import Attendance
from espacefamille.catalog.models import Enrollment, Product, Service, Site, school_year_of
from espacefamille.core.bounds import BoundedDateField, parse_day, parse_id, parse_moment
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog

from ..factories import ChildFactory, HouseholdFactory
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db

MARKUP = '<img src=x onerror="alert(1)">'
EXTREMES = ["0001-01-01", "0001-01-07", "9999-12-31"]


def _restaurant(town: Municipality) -> Service:
    with municipality_scope(town):
        load_catalog(town)
        return Service.objects.get(name="Restaurant scolaire")


@pytest.mark.parametrize("url", ["/agents/agents/ajouter/", "/agents/agents/{pk}/"])
def test_a_site_named_with_markup_is_text_on_the_administrators_screens(
    regie: Agent, administrator: Agent, town: Municipality, url: str
) -> None:
    """Defect 3: a site's name reached the agent form's help text through ``|safe``. Sites
    are now the town's list (issue 16, item 9): the name typed on the sites screen, then
    chosen by a régie agent on an enrolment, is text wherever it shows."""
    service = _restaurant(town)
    child = ChildFactory(household=HouseholdFactory(municipality=town))
    assert (
        administrator.client.post(
            "/agents/configuration/sites/ajouter/", {"name": MARKUP, "is_active": "on"}
        ).status_code
        == 302
    )
    with municipality_scope(town):
        site = Site.objects.get(name=MARKUP)
    enrolment = f"/agents/foyers/{child.household_id}/enfants/{child.pk}/inscription/"
    year = school_year_of(timezone.localdate())
    data = {"service": service.pk, "school_year": year, "site": site.pk}
    answer = regie.client.post(enrolment, data)
    assert answer.status_code == 302, page_text(answer)[-1500:]

    page = administrator.client.get(url.format(pk=regie.role.pk))
    assert page.status_code == 200
    assert MARKUP not in page.content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page.content.decode()


@pytest.mark.parametrize("day", EXTREMES)
def test_the_week_overview_refuses_a_day_out_of_range(
    regie: Agent, town: Municipality, day: str
) -> None:
    service = _restaurant(town)
    page = regie.client.get("/agents/reservations/semaine/", {"service": service.pk, "day": day})
    assert page.status_code == 400
    assert "entre le 01/01/2000 et le 31/12/2100" in page_text(page)


@pytest.mark.parametrize("download", ["", "xlsx", "csv"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_treasury_statement_refuses_a_period_out_of_range(
    regie: Agent, town: Municipality, day: str, download: str
) -> None:
    service = _restaurant(town)
    page = regie.client.get(
        "/agents/facturation/etat-encaissement/",
        {"service": service.pk, "start": day, "end": day, "format": download},
    )
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "entre le 01/01/2000 et le 31/12/2100" in page_text(page)


def _sheet(town: Municipality) -> tuple[Product, int]:
    service = _restaurant(town)
    child = ChildFactory(household=HouseholdFactory(municipality=town))
    with municipality_scope(town):
        Enrollment.objects.create(
            municipality=town,
            child=child,
            service=service,
            school_year=2025,
            start_date=date(2025, 9, 1),
            end_date=date(2026, 8, 31),
        )
        return Product.objects.get(name="REPAS"), child.pk


@pytest.mark.parametrize("child", ["²", "１", "٣", str(2**64)])
def test_a_tap_with_a_child_id_that_is_no_ascii_number_is_refused(
    regie: Agent, town: Municipality, child: str
) -> None:
    product, _child = _sheet(town)
    url = f"/agents/pointage/{product.pk}/2026-01-05/pointer/"
    page = regie.client.post(url, {"child": child, "action": "present"}, follow=True)
    assert page.status_code == 200
    assert "Choisissez un enfant." in page_text(page)


@pytest.mark.parametrize("tapped_at", ["0001-01-01T00:00:00", "9999-12-31T23:59:59"])
def test_a_tap_at_a_time_out_of_range_is_refused_and_stores_nothing(
    regie: Agent, town: Municipality, tapped_at: str
) -> None:
    product, child = _sheet(town)
    url = f"/agents/pointage/{product.pk}/2026-01-05/pointer/"
    data = {"child": child, "action": "present", "tapped_at": tapped_at}
    page = regie.client.post(url, data, follow=True)
    assert page.status_code == 200
    assert "Heure du pointage illisible" in page_text(page)
    with municipality_scope(town):
        assert not Attendance.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_an_attendance_sheet_of_a_day_out_of_range_does_not_exist(
    regie: Agent, town: Municipality, day: str
) -> None:
    product, _child = _sheet(town)
    assert regie.client.get(f"/agents/pointage/{product.pk}/{day}/").status_code == 404


def test_one_parser_for_days_moments_and_ids() -> None:
    assert parse_day("2027-01-04") == parse_day("04/01/2027") == date(2027, 1, 4)
    assert parse_day("2000-01-01") == date(2000, 1, 1)
    assert parse_day("2100-12-31") == date(2100, 12, 31)
    for text in ["1999-12-31", "2101-01-01", "0001-01-01", "9999-12-31", "31/02/2026", "", None]:
        assert parse_day(text) is None, text
    moment = parse_moment("2026-01-05T08:30:00")
    assert moment is not None and timezone.is_aware(moment)
    assert parse_moment("0001-01-01T00:00:00") is None
    assert parse_moment("9999-12-31T23:59:59+00:00") is None
    assert parse_id("42") == 42
    assert parse_id(" 42 ") == 42
    for text in ["²", "１２", "٣", "-1", "4.2", "", None, str(2**63), "0x10"]:
        assert parse_id(text) is None, text
    field = BoundedDateField()
    assert field.clean("04/01/2027") == date(2027, 1, 4)
    with pytest.raises(Exception, match="entre le 01/01/2000"):
        field.clean("01/01/0001")


@pytest.mark.parametrize("digits", ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩"])
def test_a_service_id_in_other_digits_is_an_invalid_choice(
    regie: Agent, town: Municipality, digits: str
) -> None:
    """``int("１")`` is 1: the régie's id in fullwidth or Arabic-Indic digits chose it."""
    service = _restaurant(town)
    written = str(service.pk).translate(str.maketrans("0123456789", digits))
    page = regie.client.get(
        "/agents/facturation/etat-encaissement/",
        {"service": written, "start": "01/10/2026", "end": "31/10/2026"},
    )
    assert page.status_code == 404  # as for an id this town does not hold
