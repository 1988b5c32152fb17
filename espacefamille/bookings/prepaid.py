"""A prepaid cart: planned with the same rules as ``cart_validate``, its prepaid additions
held while the family pays, then converted into bookings once the payment is confirmed.

The plan runs under the product-day locks exactly as a validation does, so a cart that
``cart_validate`` would refuse is refused here, line by line, before any payment exists. The
holds take their places in the capacity ledger at once. Conversion deletes the holds and
creates the bookings under the same locks: the ledger's net change is zero. When a hold
expired before the payment was confirmed and its place went to somebody else, the conversion
refuses (``BookingError(FULL)``) and the caller decides what the money becomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.catalog.models import Product, Service
from espacefamille.households.models import Household

from .context import BookingContext, related_products
from .errors import BookingError, Reason
from .holds import holds_create
from .locking import lock_product_days
from .models import ACTIVE_STATUSES, Booking, Cart, CartAction, CartLine, PlaceHold
from .planning import plan_cart
from .rules import Refusal
from .transitions import bookings_create, initial_status
from .validation import _mark_errors

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@dataclass
class HeldCart:
    """What ``cart_hold`` did: either the refused lines, or the holds and the amount due."""

    ok: bool
    refused: list[tuple[CartLine, Refusal]] = field(default_factory=list)
    holds: list[PlaceHold] = field(default_factory=list)
    service: Service | None = None
    total: Decimal = Decimal("0.00")
    # The cart's other lines (postpaid, cancellations), validated with the holds once paid.
    other_line_ids: list[int] = field(default_factory=list)


def prepaid_additions(lines: list[CartLine]) -> list[CartLine]:
    return [
        line for line in lines if line.action == CartAction.ADD and line.product.service.is_prepaid
    ]


@transaction.atomic
def cart_hold(
    *, household: Household, reference: str, expires_at: datetime, now: datetime
) -> HeldCart:
    """Plan the whole cart; when every line passes, hold the places of its prepaid additions
    until ``expires_at`` under ``reference``. Nothing is booked and the cart stays as it is.
    Raises ``BookingError`` when the prepaid lines belong to several régies (one payment pays
    one régie: one invoice per payment) or a place was taken meanwhile."""
    cart = Cart.objects.select_for_update().filter(household=household).first()
    lines = (
        list(CartLine.objects.filter(cart=cart).select_related("product__service", "child"))
        if cart is not None
        else []
    )
    prepaid = prepaid_additions(lines)
    if not prepaid:
        return HeldCart(ok=True)
    services = {line.product.service for line in prepaid}
    if len(services) > 1:
        raise BookingError(
            Reason.OUT_OF_RANGE,
            _("Validez les réservations d'une seule régie prépayée à la fois."),
        )
    ctx = BookingContext.load(
        municipality=household.municipality,
        children={line.child for line in lines},
        products=related_products({line.product for line in lines}),
        days={line.date for line in lines},
        now=now,
        places=False,
        attendance=any(line.action == CartAction.CANCEL for line in lines),
        waiting=False,
    ).for_household(household.pk)
    ctx.use_ledger(lock_product_days([(line.product, line.date) for line in lines], now=now))
    plan = plan_cart(ctx, lines)
    if not plan.ok:
        _mark_errors(lines, plan.refused)
        return HeldCart(ok=False, refused=plan.refused)
    holds = holds_create(
        household=household,
        items=[(line.child, line.product, line.date) for line in prepaid],
        expires_at=expires_at,
        reference=reference,
        now=now,
    )
    return HeldCart(
        ok=True,
        holds=holds,
        service=services.pop(),
        total=sum((line.product.unit_price for line in prepaid), Decimal("0.00")),
        other_line_ids=[line.pk for line in lines if line not in prepaid],
    )


@transaction.atomic
def holds_convert(
    *,
    household: Household,
    reference: str,
    items: list[tuple[int, Product, date]],
    user: User | None = None,
    now: datetime,
) -> list[Booking]:
    """Turn the paid prepaid ``items`` (child id, product, day) into bookings: their holds
    (``reference``) are deleted and the bookings created under the product-day locks. An item
    whose hold has expired is booked only if its place is still free; otherwise
    ``BookingError(FULL)`` and nothing is written. Their cart lines are removed."""
    ledger = lock_product_days([(product, day) for _child, product, day in items], now=now)
    alive = list(PlaceHold.objects.filter(household=household, reference=reference))
    held = {(hold.child_id, hold.product_id, hold.date) for hold in alive}
    for hold in alive:
        ledger.adjust(ledger.products.get(hold.product_id) or hold.product, hold.date, -1)
    PlaceHold.objects.filter(pk__in=[hold.pk for hold in alive]).delete()
    new = []
    for child_id, product, day in items:
        capacity = ledger.capacity(product, day)
        expired = (child_id, product.pk, day) not in held
        if expired and capacity is not None and ledger.taken(product.pk, day) >= capacity:
            raise BookingError(Reason.FULL, _("La place réservée n'est plus disponible."))
        if Booking.objects.filter(
            child_id=child_id, product=product, date=day, status__in=ACTIVE_STATUSES
        ).exists():
            raise BookingError(Reason.ALREADY_BOOKED, _("Cette date est déjà réservée."))
        new.append(
            Booking(
                municipality_id=household.municipality_id,
                household_id=household.pk,
                child_id=child_id,
                product=product,
                date=day,
                status=initial_status(product),
                created_by=user,
                created_at=now,
                updated_at=now,
            )
        )
    booked = bookings_create(new, ledger=ledger)
    ledger.flush()
    for child_id, product, day in items:
        CartLine.objects.filter(
            cart__household=household,
            child_id=child_id,
            product=product,
            date=day,
            action=CartAction.ADD,
        ).delete()
    return booked
