"""The demo town's services and products (issue "Bookings"); prices are in the README."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from espacefamille.catalog.models import (
    BillingMode,
    FlatRatePeriod,
    Product,
    Service,
    Site,
    school_year_of,
)
from espacefamille.catalog.services import enrollment_enroll
from espacefamille.core.models import Municipality
from espacefamille.households.models import Child

RULES_RESTAURANT = (
    "Les repas se réservent et s'annulent jusqu'à 2 jours avant, 10h00. Un repas pris sans "
    "réservation est facturé au tarif « non prévu ». Une absence justifiée (certificat "
    "médical) n'est pas facturée au-delà du premier jour de carence."
)


def _service(town: Municipality, name: str, position: int, **fields: Any) -> Service:
    service, _ = Service.objects.update_or_create(
        municipality=town, name=name, defaults={"position": position, **fields}
    )
    return service


EVENING = "garderie du soir"


def _product(service: Service, name: str, position: int, **fields: Any) -> Product:
    product, _ = Product.objects.update_or_create(
        municipality_id=service.municipality_id,
        service=service,
        name=name,
        defaults={"position": position, **fields},
    )
    return product


def load_catalog(town: Municipality) -> list[Service]:
    restaurant = _service(
        town,
        "Restaurant scolaire",
        1,
        billing_mode=BillingMode.POSTPAID,
        rules_text=RULES_RESTAURANT,
    )
    meal = {
        "weekdays": "0134",
        "booking_deadline": "days:2@10:00",
        "cancellation_deadline": "days:2@10:00",
        "incompatibility_group": "repas",
        "price_unbooked_presence": Decimal("5.00"),
        "waiting_days": 1,
    }
    _product(
        restaurant,
        "REPAS",
        1,
        capacity=120,
        unit_price=Decimal("3.50"),
        price_unjustified_absence=Decimal("3.50"),
        **meal,
    )
    _product(
        restaurant,
        "REPAS VEGETARIEN",
        2,
        unit_price=Decimal("3.50"),
        price_unjustified_absence=Decimal("3.50"),
        **meal,
    )
    _product(
        restaurant,
        "PAI",
        3,
        unit_price=Decimal("1.20"),
        price_unjustified_absence=Decimal("1.20"),
        **meal,
    )

    daycare = _service(
        town,
        "Garderie",
        2,
        billing_mode=BillingMode.POSTPAID,
        rules_text="Réservation et annulation jusqu'à la veille, 18h00.",
    )
    slot = {
        "booking_deadline": "days:1@18:00",
        "cancellation_deadline": "days:1@18:00",
        "price_unbooked_presence": Decimal("3.00"),
    }
    _product(
        daycare, "GARDERIE AVANT REPAS", 1, weekdays="01234", unit_price=Decimal("1.00"), **slot
    )
    _product(
        daycare, "GARDERIE JUSQU'A 16H30", 2, weekdays="0134", unit_price=Decimal("1.50"), **slot
    )
    # The evening flat rate covers the evening slot: one or the other for a child and a day.
    _product(
        daycare,
        "GARDERIE 16H30 A 18H30",
        3,
        weekdays="0134",
        unit_price=Decimal("2.00"),
        incompatibility_group=EVENING,
        **slot,
    )
    _product(
        daycare,
        "FORFAIT GARDERIE DU SOIR",
        4,
        weekdays="0134",
        flat_rate_period=FlatRatePeriod.MONTH,
        incompatibility_group=EVENING,
        unit_price=Decimal("30.00"),
        **slot,
    )

    wednesday = _service(
        town,
        "Accueil du mercredi",
        3,
        billing_mode=BillingMode.PREPAID,
        rules_text="Réservation jusqu'à 7 jours avant, 12h00 ; paiement à la réservation.",
    )
    _product(
        wednesday,
        "MERCREDI JOURNEE",
        1,
        weekdays="2",
        booking_deadline="days:7@12:00",
        cancellation_deadline="days:7@12:00",
        capacity=24,
        unit_price=Decimal("12.00"),
    )
    return [restaurant, daycare, wednesday]


def load_sites(town: Municipality, names: list[str]) -> dict[str, Site]:
    """The town's list of sites (loading twice changes nothing)."""
    return {name: Site.objects.get_or_create(municipality=town, name=name)[0] for name in names}


def enroll_all(children: list[Child], services: list[Service], site: Site | None = None) -> None:
    """Every demo child in every service, for the current school year and the next one, at
    ``site`` (the facilitator demo agent sees one site only)."""
    current = school_year_of(date.today())
    for child in children:
        for service in services:
            for year in (current, current + 1):
                enrollment_enroll(child=child, service=service, school_year=year, site=site)
