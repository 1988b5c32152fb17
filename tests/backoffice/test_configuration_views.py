"""Configuration screens: the town, diets, services, products with deadlines in plain French
(mapped to rule codes), the count of bookings a rule change concerns, closures; each change in
the action log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking
from espacefamille.catalog.models import Closure, Product, Service
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog
from espacefamille.households.models import Diet

from ..factories import ChildFactory, HouseholdFactory
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db


def _last_action(town: Municipality) -> ActionLogEntry:
    with municipality_scope(town):
        return ActionLogEntry.objects.order_by("-pk").first()  # type: ignore[return-value]


def _meal(town: Municipality) -> Product:
    with municipality_scope(town):
        load_catalog(town)
        return Product.objects.select_related("service").get(name="REPAS")


def _product_form(product: Product, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "name": product.name,
        "position": product.position,
        "weekdays": list(product.weekdays),
        "opens_in_school_periods": "on",
        "capacity": product.capacity or "",
        "incompatibility_group": product.incompatibility_group,
        "flat_rate_period": product.flat_rate_period,
        "is_active": "on",
        "booking-kind": "days",
        "booking-days": "2",
        "booking-at": "10:00",
        "cancellation-kind": "days",
        "cancellation-days": "2",
        "cancellation-at": "10:00",
    }
    data.update(changes)
    return data


def test_town_chooses_its_pickup_rule(administrator: Agent, town: Municipality) -> None:
    """Issue 21: one rule per town for authorised pickups, chosen under Configuration."""
    page = administrator.client.get("/agents/configuration/commune/").content.decode()
    assert "sur demande, avec une pièce d&#x27;identité" in page
    data = {"name": "Commune de Test", "holiday_zone": "C", "max_guardians": 2}
    data["pickup_rule"] = "request"
    assert administrator.client.post("/agents/configuration/commune/", data).status_code == 302
    town.refresh_from_db()
    assert town.pickup_rule == "request"
    assert "pickup_rule" in _last_action(town).changes
    del data["pickup_rule"]  # left out: unchanged
    assert administrator.client.post("/agents/configuration/commune/", data).status_code == 302
    town.refresh_from_db()
    assert town.pickup_rule == "request"


def test_town_identity_and_zone(administrator: Agent, town: Municipality) -> None:
    data = {"name": "Commune de Test", "holiday_zone": "A", "max_guardians": 2, "city": "Testville"}
    assert administrator.client.post("/agents/configuration/commune/", data).status_code == 302
    town.refresh_from_db()
    assert (town.holiday_zone, town.city) == ("A", "Testville")
    entry = _last_action(town)
    assert entry.action == "municipality.update"
    assert entry.changes["holiday_zone"] == ["C", "A"]


def test_diets_add_and_withdraw(administrator: Agent, town: Municipality) -> None:
    client = administrator.client
    data = {"label": "Sans fruits à coque", "is_active": "on", "position": 9}
    assert client.post("/agents/configuration/regimes/ajouter/", data).status_code == 302
    assert _last_action(town).action == "diet.create"
    duplicate = client.post("/agents/configuration/regimes/ajouter/", data)
    assert "déjà dans la liste" in page_text(duplicate)
    with municipality_scope(town):
        diet = Diet.objects.get(label="Sans fruits à coque")
    data = {"label": "Sans fruits à coque", "position": 9}
    assert client.post(f"/agents/configuration/regimes/{diet.pk}/", data).status_code == 302
    diet.refresh_from_db()
    assert not diet.is_active
    assert _last_action(town).changes["is_active"] == [True, False]


def test_service_create(administrator: Agent, town: Municipality) -> None:
    data = {"name": "Accueil de loisirs", "billing_mode": "prepaid", "position": 4}
    assert (
        administrator.client.post("/agents/configuration/services/ajouter/", data).status_code
        == 302
    )
    with municipality_scope(town):
        assert Service.objects.get(name="Accueil de loisirs").is_prepaid
    assert _last_action(town).action == "service.create"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"booking-kind": "days", "booking-days": "1", "booking-at": "18:00"}, "days:1@18:00"),
        (
            {"booking-kind": "workdays", "booking-days": "3", "booking-at": "12:00"},
            "workdays:3@12:00",
        ),
        (
            {"booking-kind": "prevweek", "booking-weekday": "2", "booking-at": "12:00"},
            "prevweek:2@12:00",
        ),
        (
            {"booking-kind": "prevmonth", "booking-month_day": "20", "booking-at": "23:59"},
            "prevmonth:20@23:59",
        ),
    ],
)
def test_deadline_in_plain_french_becomes_the_rule_code(
    administrator: Agent, town: Municipality, fields: dict[str, str], code: str
) -> None:
    product = _meal(town)
    url = f"/agents/configuration/services/{product.service_id}/prestations/{product.pk}/"
    page = administrator.client.get(url)
    assert "jours avant le jour réservé" in page_text(page)
    response = administrator.client.post(url, _product_form(product, **fields))
    assert response.status_code == 302, response.context["form"].errors
    product.refresh_from_db()
    assert product.booking_deadline == code
    entry = _last_action(town)
    assert entry.action == "product.update"
    assert entry.changes["booking_deadline"] == ["days:2@10:00", code]


def test_a_missing_day_is_refused(administrator: Agent, town: Municipality) -> None:
    product = _meal(town)
    url = f"/agents/configuration/services/{product.service_id}/prestations/{product.pk}/"
    response = administrator.client.post(
        url, _product_form(product, **{"booking-kind": "prevweek"})
    )
    assert response.status_code == 200
    assert "Précisez ce jour" in page_text(response)


def test_a_rule_change_says_how_many_bookings_first(
    administrator: Agent, town: Municipality
) -> None:
    product = _meal(town)
    household = HouseholdFactory(municipality=town)
    child = ChildFactory(household=household)
    today = timezone.localdate()
    with municipality_scope(town):
        for offset in (7, 14, -7):
            bookings_record_history(
                bookings=[
                    Booking(
                        municipality=town,
                        child=child,
                        product=product,
                        date=today + timedelta(days=offset),
                        status="validated",
                    )
                ]
            )
    url = f"/agents/configuration/services/{product.service_id}/prestations/{product.pk}/"
    data = _product_form(product, **{"booking-days": "1", "booking-at": "18:00"})
    response = administrator.client.post(url, data)
    assert response.status_code == 200
    assert "concerne 2 réservations" in page_text(response)
    product.refresh_from_db()
    assert product.booking_deadline == "days:2@10:00"  # nothing saved yet
    response = administrator.client.post(url, {**data, "confirmed_impact": "2"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.booking_deadline == "days:1@18:00"
    assert _last_action(town).changes["réservations concernées"] == [None, 2]


def test_closures_add_edit_delete(administrator: Agent, town: Municipality) -> None:
    product = _meal(town)
    client = administrator.client
    data = {
        "start_date": "01/06/2027",
        "end_date": "02/06/2027",
        "reason": "Travaux",
        "products": [product.pk],
    }
    assert client.post("/agents/configuration/fermetures/ajouter/", data).status_code == 302
    with municipality_scope(town):
        closure = Closure.objects.get()
        assert list(closure.products.all()) == [product]
    assert _last_action(town).action == "closure.create"
    backwards = {**data, "end_date": "01/05/2027"}
    response = client.post(f"/agents/configuration/fermetures/{closure.pk}/", backwards)
    assert "ne peut pas précéder" in page_text(response)
    assert (
        client.post(f"/agents/configuration/fermetures/{closure.pk}/supprimer/").status_code == 302
    )
    assert _last_action(town).action == "closure.delete"
    with municipality_scope(town):
        assert not Closure.objects.exists()
