"""The read endpoints: a stable order, pagination, filters, another town's ids answering 404,
and a fixed number of queries whatever the page size."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from espacefamille.billing.models import Invoice, InvoiceStatus
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.catalog.models import Closure, Enrollment
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child

from ..bookings.conftest import MON_16, Setup
from ..factories import ChildFactory, HouseholdFactory
from .conftest import ApiClient

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def many(setup: Setup) -> Setup:
    """A dozen households, children, bookings (of an uncapped product), invoices, closures."""
    town = setup.family.household.municipality
    with municipality_scope(town):
        pai = setup.p("PAI")
        for n in range(ROWS):
            household = HouseholdFactory(municipality=town, name=f"FOYER {n:02}")
            child = ChildFactory(household=household, first_name=f"Léa{n}")
            Enrollment.objects.create(
                municipality=town,
                child=child,
                service=setup.restaurant,
                school_year=2026,
                start_date=date(2026, 9, 1),
                end_date=date(2027, 8, 31),
            )
            Booking.objects.create(
                municipality=town,
                child=child,
                product=pai,
                date=MON_16,
                status=BookingStatus.VALIDATED,
            )
            Invoice.objects.create(
                municipality=town,
                service=setup.restaurant,
                household=household,
                recipient_name="X",
                period_start=date(2026, 10, 1),
                period_end=date(2026, 10, 31),
                status=InvoiceStatus.FINAL,
                number=f"F-{n}",
                issued_on=date(2026, 11, 2),
                due_on=date(2026, 12, 2),
                total=Decimal("12.50"),
            )
            closure = Closure.objects.create(
                municipality=town,
                start_date=date(2027, 1, n + 1),
                end_date=date(2027, 1, n + 1),
                reason=f"Fermeture {n}",
            )
            closure.products.set([pai], through_defaults={"municipality": town})
    return setup


LISTS = [
    "/api/v1/services/",
    "/api/v1/products/",
    "/api/v1/households/",
    "/api/v1/children/",
    "/api/v1/enrolments/",
    "/api/v1/bookings/",
    "/api/v1/invoices/",
    "/api/v1/closures/",
    "/api/v1/webhooks/",
]


def _queries(api: ApiClient, path: str, size: int) -> tuple[int, list[object]]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, page_size=size)
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    return len(queries), response.json()["results"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", LISTS)
def test_a_list_costs_the_same_queries_whatever_the_page_size(
    many: Setup, api: ApiClient, path: str
) -> None:
    api.get(path)  # the key's last use is written once a minute at most
    small, few = _queries(api, path, 2)
    large, rows = _queries(api, path, 100)
    assert small == large, f"{path}: {small} queries for {len(few)} rows, {large} for {len(rows)}"
    assert small <= 6


def test_pages_follow_a_stable_order(many: Setup, api: ApiClient) -> None:
    seen = []
    for page in (1, 2, 3):
        response = api.get("/api/v1/households/", page_size=5, page=page)
        seen += [row["name"] for row in response.json()["results"]]  # type: ignore[attr-defined]
    assert seen == sorted(seen) and len(set(seen)) == ROWS + 1


def test_filters(many: Setup, api: ApiClient) -> None:
    household = many.family.household
    children = api.get("/api/v1/children/", household=household.pk).json()  # type: ignore[attr-defined]
    assert {row["first_name"] for row in children["results"]} == {"Paul", "Julie"}
    found = api.get("/api/v1/households/", search="léa3").json()  # type: ignore[attr-defined]
    assert [row["name"] for row in found["results"]] == ["FOYER 03"]
    bookings = api.get("/api/v1/bookings/", start="2026-11-16", end="2026-11-16").json()  # type: ignore[attr-defined]
    assert bookings["count"] == ROWS
    assert api.get("/api/v1/bookings/", start="2026-11-17").json()["count"] == 0  # type: ignore[attr-defined]
    invoices = api.get("/api/v1/invoices/", household=household.pk).json()  # type: ignore[attr-defined]
    assert invoices["count"] == 0
    closures = api.get("/api/v1/closures/", start="2027-01-05", end="2027-01-06").json()  # type: ignore[attr-defined]
    assert [row["reason"] for row in closures["results"]] == ["Fermeture 4", "Fermeture 5"]
    assert closures["results"][0]["products"] == [many.p("PAI").pk]


def test_amounts_are_strings_with_two_decimals(many: Setup, api: ApiClient) -> None:
    invoice = api.get("/api/v1/invoices/", page_size=1).json()["results"][0]  # type: ignore[attr-defined]
    assert (invoice["total"], invoice["paid"], invoice["balance"]) == ("12.50", "0.00", "12.50")
    pdf = api.get(f"/api/v1/invoices/{invoice['id']}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"  # type: ignore[index]
    assert pdf.content.startswith(b"%PDF")  # type: ignore[attr-defined]
    balance = api.get(f"/api/v1/households/{invoice['household']}/balance/").json()  # type: ignore[attr-defined]
    assert balance["due"] == "12.50"


def test_places_left_come_from_the_ledger(setup: Setup, api: ApiClient) -> None:
    repas = setup.p("REPAS")
    api.post(
        "/api/v1/bookings/", {"child": setup.paul.pk, "product": repas.pk, "date": "2026-11-16"}
    )
    days = api.get(
        f"/api/v1/products/{repas.pk}/days/", start="2026-11-16", end="2026-11-17"
    ).json()  # type: ignore[attr-defined]
    assert [(d["date"], d["taken"], d["places_left"]) for d in days] == [
        ("2026-11-16", 1, repas.capacity - 1),
        ("2026-11-17", 0, repas.capacity),
    ]


def test_bad_filters_answer_422_never_500(setup: Setup, api: ApiClient) -> None:
    for path, params in [
        ("/api/v1/bookings/", {"start": "demain"}),
        ("/api/v1/bookings/", {"child": "-1"}),
        ("/api/v1/bookings/", {"child": str(2**70)}),
        ("/api/v1/bookings/", {"start": "2026-01-01", "end": "2028-01-01"}),
        ("/api/v1/kitchen/counts/", {"service": "x", "start": "2026-11-16"}),
        (
            f"/api/v1/products/{setup.p('REPAS').pk}/days/",
            {"start": "2026-11-16", "end": "2026-11-01"},
        ),
    ]:
        response = api.get(path, **params)
        assert response.status_code == 422, (path, params, response.content)  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/problem+json"  # type: ignore[index]
    assert api.get("/api/v1/households/", page=99).status_code == 404  # type: ignore[attr-defined]


def test_an_id_beyond_a_database_column_answers_the_apis_404(api: ApiClient) -> None:
    """Found by schemathesis on PostgreSQL: the site-wide guard against such ids answered the
    portal's HTML page; the API's routes now leave them to its own problem+json 404."""
    for number in (2**63, 21915671710592200148516864):
        response = api.get(f"/api/v1/children/{number}/")
        assert response.status_code == 404  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/problem+json"  # type: ignore[index]


def test_a_path_with_a_line_break_answers_the_apis_404(api: ApiClient) -> None:
    """Found by schemathesis: the catch-all route's ``.`` stopped at a line break in an id, and
    the portal's HTML page answered."""
    for path in ("/api/v1/bookings/1%0A2/cancel/", "/api/v1/children/%0A/", "/api/v1/x%0Ay/"):
        response = api.get(path)
        assert response.status_code == 404, path  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/problem+json", path  # type: ignore[index]


def test_another_towns_ids_answer_404(many: Setup, other_api: ApiClient) -> None:
    child = many.paul
    with municipality_scope(child.municipality_id):
        booking = Booking.objects.first()
        invoice = Invoice.objects.first()
    assert booking is not None and invoice is not None
    for path in [
        f"/api/v1/households/{child.household_id}/",
        f"/api/v1/households/{child.household_id}/balance/",
        f"/api/v1/children/{child.pk}/",
        f"/api/v1/products/{many.p('REPAS').pk}/days/?start=2026-11-16",
        f"/api/v1/invoices/{invoice.pk}/",
        f"/api/v1/invoices/{invoice.pk}/pdf/",
    ]:
        response = other_api.get(path)
        assert response.status_code == 404, path  # type: ignore[attr-defined]
        assert response.json()["reason"] == "not_found"  # type: ignore[attr-defined]
    kitchen = other_api.get(
        "/api/v1/kitchen/counts/", service=many.restaurant.pk, start="2026-11-16"
    )
    assert kitchen.status_code == 404  # type: ignore[attr-defined]
    writes = [
        (
            "/api/v1/bookings/",
            {"child": child.pk, "product": many.p("REPAS").pk, "date": "2026-11-16"},
        ),
        (f"/api/v1/bookings/{booking.pk}/cancel/", {}),
    ]
    for path, data in writes:
        assert other_api.post(path, data).status_code == 404, path  # type: ignore[attr-defined]
    assert other_api.get("/api/v1/households/").json()["count"] == 0  # type: ignore[attr-defined]
    with municipality_scope(child.municipality_id):
        assert Child.objects.count() == ROWS + 2
