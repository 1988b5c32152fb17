"""A day's own capacity ("une sortie scolaire : 12 places ce jour-là"), set by an agent on the
day's ledger row under its lock. It may not go below the places already taken: the agent is
told how many are taken instead, and nothing changes."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.audit.records import Actor, action_record
from espacefamille.catalog.models import Product

from .errors import BookingError, Reason
from .locking import lock_product_days
from .models import ProductDay


@transaction.atomic
def product_day_capacity_set(
    *, product: Product, day: date, capacity: int | None, actor: Actor = None
) -> ProductDay:
    """``capacity`` None: the day follows the product's capacity again."""
    if product.capacity is None:
        raise BookingError(
            Reason.CAPACITY_BELOW_TAKEN,
            _("Cette prestation n'a pas de nombre maximal de places : fixez-le d'abord."),
        )
    if capacity is not None and capacity < 0:
        raise BookingError(Reason.CAPACITY_BELOW_TAKEN, _("Le nombre de places est négatif."))
    ledger = lock_product_days([(product, day)])
    row = ledger.rows[(product.pk, day)]
    wanted = product.capacity if capacity is None else capacity
    if wanted < row.taken:
        raise BookingError(
            Reason.CAPACITY_BELOW_TAKEN,
            ngettext(
                "Impossible : %(taken)s place est déjà prise ce jour-là (réservations et "
                "paiements en cours).",
                "Impossible : %(taken)s places sont déjà prises ce jour-là (réservations et "
                "paiements en cours).",
                row.taken,
            )
            % {"taken": row.taken},
        )
    before = row.capacity_override
    row.capacity_override = capacity
    ledger.changed.add((product.pk, day))
    ledger.flush()
    ProductDay.objects.filter(pk=row.pk).update(capacity_override=capacity)
    action_record(
        municipality_id=product.municipality_id,
        actor=actor,
        action="product_day.capacity",
        obj=product,
        object_repr=f"{product} — {day:%d/%m/%Y}",
        changes={"capacity": [before, capacity]},
    )
    return row
