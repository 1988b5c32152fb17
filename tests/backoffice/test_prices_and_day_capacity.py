"""Prices change from a date (never in the past, past months keep theirs) and a day may have
its own number of places, never below the places already taken; both are logged."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from espacefamille.audit.models import ActionLogEntry
from espacefamille.billing.models import ProductPrice
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking, ProductDay
from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog

from ..factories import ChildFactory, HouseholdFactory
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db


def _meal(town: Municipality) -> Product:
    with municipality_scope(town):
        load_catalog(town)
        return Product.objects.get(name="REPAS")


def _price(day: object, unit: str = "3.80") -> dict[str, object]:
    return {
        "price-effective_from": f"{day:%d/%m/%Y}",
        "price-unit_price": unit,
        "price-quotient_max": "",
        "price-price_unbooked_presence": "5.00",
        "price-price_unjustified_absence": "",
        "add_price": "1",
    }


def test_a_price_change_applies_from_a_date(administrator: Agent, town: Municipality) -> None:
    meal = _meal(town)
    url = f"/agents/configuration/prestations/{meal.pk}/tarifs/"
    today = timezone.localdate()
    past = administrator.client.post(url, _price(today - timedelta(days=1)))
    assert "à partir d'aujourd'hui au plus tôt" in page_text(past)
    negative = administrator.client.post(url, _price(today + timedelta(days=30), unit="-1"))
    assert negative.status_code == 200
    with municipality_scope(town):
        assert not ProductPrice.objects.exists()
    added = administrator.client.post(url, _price(today + timedelta(days=30)))
    assert added.status_code == 302
    with municipality_scope(town):
        price = ProductPrice.objects.get()
        assert price.unit_price == Decimal("3.80")
        assert ActionLogEntry.objects.filter(action="product_price.create").count() == 1
    page = page_text(administrator.client.get(url))
    assert "3,80" in page and "Retirer" in page
    withdrawn = administrator.client.post(url + f"{price.pk}/retirer/")
    assert withdrawn.status_code == 302
    with municipality_scope(town):
        assert not ProductPrice.objects.exists()
        assert ActionLogEntry.objects.filter(action="product_price.delete").count() == 1


def test_a_price_in_force_cannot_be_withdrawn(administrator: Agent, town: Municipality) -> None:
    meal = _meal(town)
    with municipality_scope(town):
        price = ProductPrice.objects.create(
            municipality=town,
            product=meal,
            effective_from=timezone.localdate(),
            unit_price=Decimal("3.60"),
        )
    url = f"/agents/configuration/prestations/{meal.pk}/tarifs/{price.pk}/retirer/"
    response = administrator.client.post(url, follow=True)
    assert "déjà en vigueur" in page_text(response)
    with municipality_scope(town):
        assert ProductPrice.objects.filter(pk=price.pk).exists()


def test_a_day_has_its_own_places_never_below_those_taken(
    administrator: Agent, town: Municipality
) -> None:
    meal = _meal(town)
    day = timezone.localdate() + timedelta(days=10)
    child = ChildFactory(household=HouseholdFactory(municipality=town))
    with municipality_scope(town):
        bookings_record_history(
            bookings=[
                Booking(municipality=town, child=child, product=meal, date=day, status="validated")
            ]
        )
    url = f"/agents/configuration/prestations/{meal.pk}/tarifs/"
    form = {"day-day": f"{day:%d/%m/%Y}", "set_day": "1"}
    below = administrator.client.post(url, {**form, "day-capacity": "0"})
    assert "1 place est déjà prise" in page_text(below)
    saved = administrator.client.post(url, {**form, "day-capacity": "12"})
    assert saved.status_code == 302
    with municipality_scope(town):
        row = ProductDay.objects.get(product=meal, date=day)
        assert (row.capacity_override, row.capacity, row.taken) == (12, 12, 1)
        assert ActionLogEntry.objects.filter(action="product_day.capacity").count() == 1
    assert "12 places (1 prise)" in page_text(administrator.client.get(url))
