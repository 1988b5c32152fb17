"""Places held while a family pays a prepaid cart. A hold counts as taken in the capacity
ledger from the moment it is created, so nobody else can book the place during the payment;
it ends by becoming a booking (the money side converts it), by an explicit release (payment
refused or cancelled), or by expiring — an expired hold is released under the product-day lock
by the next writer of the day (locking.py), and ``release_expired_holds`` tidies the rest."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.catalog.models import Product
from espacefamille.core.models import Municipality
from espacefamille.households.models import Child, Household
from espacefamille.households.sharing import all_members

from .errors import BookingError, Reason
from .locking import lock_product_days
from .models import PlaceHold


@transaction.atomic
def holds_create(
    *,
    household: Household,
    items: Iterable[tuple[Child, Product, date]],
    expires_at: datetime,
    reference: str = "",
    now: datetime | None = None,
) -> list[PlaceHold]:
    """Hold one place per (child, product, day) until ``expires_at``; all or none. Raises
    ``BookingError(FULL)`` when a day has no place left for every hold asked."""
    items = list(items)
    if not all_members([child for child, _product, _day in items], household):
        raise BookingError(Reason.NOT_IN_HOUSEHOLD, _("Cet enfant n'est pas dans le foyer."))
    ledger = lock_product_days([(product, day) for _child, product, day in items], now=now)
    holds = []
    for child, product, day in items:
        capacity = ledger.capacity(product, day)
        if capacity is not None and ledger.taken(product.pk, day) >= capacity:
            raise BookingError(Reason.FULL, _("Complet : il ne reste plus de place ce jour-là."))
        ledger.adjust(product, day, +1)
        holds.append(
            PlaceHold(
                municipality_id=household.municipality_id,
                household=household,
                child=child,
                product=product,
                date=day,
                expires_at=expires_at,
                reference=reference,
            )
        )
    created = PlaceHold.objects.bulk_create(holds)
    ledger.flush()
    return created


@transaction.atomic
def holds_release(*, holds: Iterable[PlaceHold]) -> int:
    """Give the places back (payment refused or cancelled). Holds already released or
    expired-and-released are ignored."""
    wanted = list(holds)
    if not wanted:
        return 0
    ledger = lock_product_days([(hold.product, hold.date) for hold in wanted])
    # Read again under the lock: the expired ones were just released by the lock itself.
    alive = list(PlaceHold.objects.filter(pk__in=[hold.pk for hold in wanted]))
    for hold in alive:
        ledger.adjust(ledger.products[hold.product_id], hold.date, -1)
    PlaceHold.objects.filter(pk__in=[hold.pk for hold in alive]).delete()
    ledger.flush()
    return len(alive)


def release_expired_holds(*, municipality: Municipality, now: datetime | None = None) -> int:
    """Release every expired hold of a town, one product-day lock at a time."""
    now = now or timezone.now()
    released = 0
    expired = (
        PlaceHold.objects.filter(municipality=municipality, expires_at__lte=now)
        .select_related("product")
        .order_by("product_id", "date")
    )
    days = {(hold.product_id, hold.date): hold.product for hold in expired}
    for (_product_id, day), product in sorted(days.items(), key=lambda item: item[0]):
        with transaction.atomic():
            released += lock_product_days([(product, day)], now=now).released_holds
    return released
