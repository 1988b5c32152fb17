"""How the cart panel and its summary bar word the cart: counts per product, and dates with
their year when the day alone would be ambiguous."""

from __future__ import annotations

from django import template
from django.utils import timezone

from espacefamille.bookings.models import CartLine
from espacefamille.bookings.selectors import CartChildGroup, CartSummary
from espacefamille.catalog.models import Product
from espacefamille.payments.giveback import GiveBack, cancellation_giveback

register = template.Library()

SHORT_DATE = "D. d N"
SHORT_DATE_WITH_YEAR = "D. d N Y"


@register.filter
def product_counts(groups: list[CartChildGroup]) -> list[tuple[int, str]]:
    """ "2 REPAS, 1 PAI": lines per product, all children together, for the summary bar where
    only the essentials fit; the panel below keeps the detail per child."""
    counts: dict[Product, int] = {}
    for group in groups:
        for item in group.products:
            counts[item.product] = counts.get(item.product, 0) + item.count
    in_catalog_order = sorted(
        counts, key=lambda p: (p.service.position, p.service_id, p.position, p.name)
    )
    return [(counts[product], product.name) for product in in_catalog_order]


@register.simple_tag
def cart_date_format(summary: CartSummary) -> str:
    """The year is shown unless every date of the cart falls in the current year: in
    December, "lun. 04 janv." reads as a past January, and a cart spanning two years (a
    school year booked in one go) would otherwise list two Januaries alike."""
    this_year = timezone.localdate().year
    for groups in (summary.additions, summary.cancellations):
        for group in groups:
            for item in group.products:
                if any(line.date.year != this_year for line in item.lines):
                    return SHORT_DATE_WITH_YEAR
    return SHORT_DATE


@register.filter
def refused_lines(summary: CartSummary) -> list[tuple[str, str, CartLine]]:
    """(child, product, line) of every line the last validation refused, with its reason."""
    found: list[tuple[str, str, CartLine]] = []
    for groups in (summary.additions, summary.cancellations):
        for group in groups:
            for item in group.products:
                found += [(group.child.first_name, item.product.name, line) for line in item.failed]
    return found


@register.simple_tag
def cart_giveback(summary: CartSummary) -> list[GiveBack]:
    """What the cancellations of paid days in the cart give back, per régie (before "Valider")."""
    return cancellation_giveback(lines=summary.lines)
