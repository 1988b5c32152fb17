"""A town changes a product's prices from a date: a new ``ProductPrice`` row, never an edit of
one already in force, so past months keep the prices they were invoiced with. A change may not
start in the past (an invoice may already have used the old price); a price not yet in force
may be withdrawn."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from espacefamille.audit.records import Actor, action_record, snapshot
from espacefamille.catalog.models import Product
from espacefamille.core.money import amount_in_words, format_euros

from .errors import BillingError, BillingReason
from .models import ProductPrice

PRICE_FIELDS = [
    "effective_from",
    "quotient_max",
    "is_default_bracket",
    "unit_price",
    "price_unbooked_presence",
    "price_unjustified_absence",
]


PRICE_LABELS = {
    "unit_price": _lazy("Prix à l'unité"),
    "price_unbooked_presence": _lazy("Prix si non prévu"),
    "price_unjustified_absence": _lazy("Prix si absence injustifiée"),
}
# A new price more than ten times the one it replaces, or less than a tenth of it, is more
# often a typing slip ("3,60" read as 360) than a decision: it is shown back in words first.
JUMP_FACTOR = 10


def current_prices(*, product: Product, quotient_max: Decimal | None, day: date) -> dict[str, Any]:
    """The prices of the bracket in force on ``day``: its dated row, else the dated row for
    every family, else the product's own prices."""
    rows = ProductPrice.objects.filter(product=product, effective_from__lte=day).order_by(
        "-effective_from", "-pk"
    )
    row = (
        rows.filter(quotient_max=quotient_max).first()
        or rows.filter(quotient_max__isnull=True).first()
    )
    source = row if row is not None else product
    return {name: getattr(source, name) for name in PRICE_LABELS}


def price_jumps(*, product: Product, data: dict[str, Any]) -> list[str]:
    """One French sentence per price that changes by more than ×10, up or down."""
    before = current_prices(
        product=product, quotient_max=data.get("quotient_max"), day=data["effective_from"]
    )
    sentences = []
    for name, label in PRICE_LABELS.items():
        old, new = before.get(name), data.get(name)
        if old is None or new is None or Decimal(old) <= 0:
            continue
        old, new = Decimal(old), Decimal(new)
        if new > old * JUMP_FACTOR or new * JUMP_FACTOR < old:
            sentences.append(
                _("%(label)s : %(new)s, soit %(words)s, au lieu de %(old)s aujourd'hui.")
                % {
                    "label": label,
                    "new": format_euros(new),
                    "words": amount_in_words(new),
                    "old": format_euros(old),
                }
            )
    return sentences


@transaction.atomic
def product_price_add(
    *, product: Product, data: dict[str, Any], actor: Actor, confirmed: bool = False
) -> ProductPrice:
    """Raises ``BillingError`` (nothing written) for a date in the past, a negative price or
    a bracket already priced from that date, and ``BillingReason.LARGE_CHANGE`` for a price
    more than ten times (or less than a tenth of) the current one unless ``confirmed``."""
    today = timezone.localdate()
    start: date = data["effective_from"]
    if start < today:
        raise BillingError(
            BillingReason.PRICE_IN_THE_PAST,
            _("Un changement de tarif s'applique à partir d'aujourd'hui au plus tôt."),
            field="effective_from",
        )
    for name in ("unit_price", "price_unbooked_presence", "price_unjustified_absence"):
        value = data.get(name)
        if value is not None and Decimal(value) < 0:
            raise BillingError(
                BillingReason.NEGATIVE_PRICE, _("Un prix ne peut pas être négatif."), field=name
            )
    if ProductPrice.objects.filter(
        product=product, effective_from=start, quotient_max=data.get("quotient_max")
    ).exists():
        raise BillingError(
            BillingReason.PRICE_EXISTS,
            _("Cette tranche a déjà un tarif à partir de cette date : retirez-le d'abord."),
        )
    jumps = [] if confirmed else price_jumps(product=product, data=data)
    if jumps:
        sentences = [
            _("Ce tarif change de plus de dix fois le prix actuel : vérifiez-le."),
            *jumps,
            _("Si le montant est juste, cochez « Je confirme ce montant » et enregistrez."),
        ]
        raise BillingError(
            BillingReason.LARGE_CHANGE,
            " ".join(sentences),
            field_errors={NON_FIELD_ERRORS: sentences},  # one line each on the form
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
def product_price_withdraw(*, price: ProductPrice, actor: Actor) -> None:
    """Only a price not yet in force: one in force may already be on an invoice."""
    if price.effective_from <= timezone.localdate():
        raise BillingError(
            BillingReason.PRICE_IN_FORCE,
            _("Ce tarif est déjà en vigueur : ajoutez plutôt un nouveau tarif."),
        )
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
