"""A town changes a product's prices from a date: a new ``ProductPrice`` row, never an edit of
one already in force, so past months keep the prices they were invoiced with. A change may not
start in the past (an invoice may already have used the old price); a price not yet in force
may be withdrawn."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record, snapshot
from espacefamille.catalog.models import Product

from .models import ProductPrice

PRICE_FIELDS = [
    "effective_from",
    "quotient_max",
    "is_default_bracket",
    "unit_price",
    "price_unbooked_presence",
    "price_unjustified_absence",
]


@transaction.atomic
def product_price_add(*, product: Product, data: dict[str, Any], actor: Any) -> ProductPrice:
    """Raises ``ValidationError`` (nothing written) for a date in the past, a negative price or
    a bracket already priced from that date."""
    today = timezone.localdate()
    start: date = data["effective_from"]
    if start < today:
        raise ValidationError(
            {
                "effective_from": _(
                    "Un changement de tarif s'applique à partir d'aujourd'hui au plus tôt."
                )
            }
        )
    for name in ("unit_price", "price_unbooked_presence", "price_unjustified_absence"):
        value = data.get(name)
        if value is not None and Decimal(value) < 0:
            raise ValidationError({name: _("Un prix ne peut pas être négatif.")})
    if ProductPrice.objects.filter(
        product=product, effective_from=start, quotient_max=data.get("quotient_max")
    ).exists():
        raise ValidationError(
            _("Cette tranche a déjà un tarif à partir de cette date : retirez-le d'abord.")
        )
    price = ProductPrice.objects.create(
        municipality_id=product.municipality_id,
        product=product,
        **{name: data.get(name) for name in PRICE_FIELDS if name in data},
    )
    action_record(
        municipality_id=product.municipality_id,
        actor=actor,
        action="product_price.create",
        obj=product,
        changes={name: [None, value] for name, value in snapshot(price, PRICE_FIELDS).items()},
    )
    return price


@transaction.atomic
def product_price_withdraw(*, price: ProductPrice, actor: Any) -> None:
    """Only a price not yet in force: one in force may already be on an invoice."""
    if price.effective_from <= timezone.localdate():
        raise ValidationError(_("Ce tarif est déjà en vigueur : ajoutez plutôt un nouveau tarif."))
    before = snapshot(price, PRICE_FIELDS)
    product = price.product
    price.delete()
    action_record(
        municipality_id=product.municipality_id,
        actor=actor,
        action="product_price.delete",
        obj=product,
        changes={name: [value, None] for name, value in before.items()},
    )
