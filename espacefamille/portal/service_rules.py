""" "Règlement et tarifs" (seed 002's table): the rules of a service's products, read from the
very fields and deadline rules the server enforces, so the page cannot disagree with them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from espacefamille.catalog.models import Product, Service

WEEKDAY_NAMES = [
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
]


@dataclass(frozen=True)
class ProductRules:
    product: Product
    booking_deadline: str
    cancellation_deadline: str
    unit_price: Decimal
    price_unbooked_presence: Decimal | None
    price_unjustified_absence: Decimal | None
    waiting_days: int
    payment: str  # "payé à la réservation" or "payé sur facture"
    capacity: int | None
    opening_days: str
    flat_rate: str


def rules_services(*, municipality_id: int) -> list[Service]:
    """Every service of the town, not only those the children are enrolled in: a family reads
    the rules and prices before asking for an enrolment."""
    return list(Service.objects.filter(municipality_id=municipality_id))


def opening_days(product: Product) -> str:
    """ "lundi, mardi, jeudi, vendredi — en période scolaire"."""
    days = ", ".join(str(WEEKDAY_NAMES[day]) for day in sorted(product.weekday_set))
    if product.opens_in_school_periods and product.opens_in_holidays:
        when = _("en période scolaire et pendant les vacances")
    elif product.opens_in_holidays:
        when = _("pendant les vacances scolaires")
    else:
        when = _("en période scolaire")
    return f"{days} — {when}" if days else _("aucun jour")


def service_rules(*, service: Service) -> list[ProductRules]:
    payment = _("payé à la réservation") if service.is_prepaid else _("payé sur facture")
    return [
        ProductRules(
            product=product,
            booking_deadline=product.booking_rule.describe(),
            cancellation_deadline=product.cancellation_rule.describe(),
            unit_price=product.unit_price,
            price_unbooked_presence=product.price_unbooked_presence,
            price_unjustified_absence=product.price_unjustified_absence,
            waiting_days=product.waiting_days,
            payment=payment,
            capacity=product.capacity,
            opening_days=opening_days(product),
            flat_rate=(
                product.get_flat_rate_period_display() if product.is_flat_rate else _("non")
            ),
        )
        for product in Product.objects.filter(service=service, is_active=True)
    ]
