"""``cart_validate``: apply every line of a cart, or none.

Every rule is checked again on the server at the moment of validation, under the locks of the
places concerned. When a line fails, no booking is written: each failing line is marked with
its reason. Validating the same cart twice changes nothing the second time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from espacefamille.catalog.models import Product
from espacefamille.households.models import Household

from .context import BookingContext
from .emails import send_cart_validation_email
from .locking import lock_product_days
from .models import Booking, BookingStatus, Cart, CartAction, CartLine
from .rules import Pending, Refusal, check_add, check_cancel, claim, flat_rate_span
from .transitions import booking_transition
from .waiting_list import promote_waiting_lists

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@dataclass
class ValidationResult:
    ok: bool
    booked: list[Booking] = field(default_factory=list)
    cancelled: list[Booking] = field(default_factory=list)
    refused: list[tuple[CartLine, Refusal]] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return self.ok and not self.booked and not self.cancelled


def cart_validate(
    *, household: Household, user: User | None, now: datetime | None = None
) -> ValidationResult:
    with transaction.atomic():
        result = _validate(household, user, now or timezone.now())
    return result


def _validate(household: Household, user: User | None, now: datetime) -> ValidationResult:
    cart = Cart.objects.select_for_update().filter(household=household).first()
    if cart is None:
        return ValidationResult(ok=True)
    lines = list(CartLine.objects.filter(cart=cart).select_related("product__service", "child"))
    if not lines:
        return ValidationResult(ok=True)
    capped = [(line.product_id, line.date) for line in lines if line.product.capacity]
    lock_product_days(capped)
    products = {line.product for line in lines}
    ctx = BookingContext.load(
        municipality=household.municipality,
        children={line.child for line in lines},
        products=_with_group_siblings(products),
        start=min(line.date for line in lines),
        end=max(line.date for line in lines),
        capacity_days=capped,
        now=now,
    )
    pending = Pending.empty()
    cancels = [line for line in lines if line.action == CartAction.CANCEL]
    adds = [line for line in lines if line.action == CartAction.ADD]
    refused: list[tuple[CartLine, Refusal]] = []
    for line in cancels:
        refusal = check_cancel(ctx, line.child_id, line.product, line.date)
        if refusal:
            refused.append((line, refusal))
        else:
            pending.freed.add((line.child_id, line.product_id, line.date))
    for line in adds:
        refusal = check_add(ctx, line.child_id, line.product, line.date, pending)
        if refusal:
            refused.append((line, refusal))
        else:
            claim(pending, line.child_id, line.product, line.date)
    if refused:
        _mark_errors(lines, refused)
        return ValidationResult(ok=False, refused=refused)

    result = ValidationResult(ok=True)
    for line in cancels:
        booking = ctx.booking(line.child_id, line.product_id, line.date)
        assert booking is not None  # checked above
        to = (
            BookingStatus.CANCEL_REQUESTED
            if line.product.service.cancellation_requires_approval
            and booking.status == BookingStatus.VALIDATED
            else BookingStatus.CANCELLED
        )
        booking_transition(booking, to)
        result.cancelled.append(booking)
    new = [
        Booking(
            municipality_id=household.municipality_id,
            child=line.child,
            product=line.product,
            date=line.date,
            created_by=user,
            created_at=now,
            updated_at=now,
            end_date=(
                flat_rate_span(line.product, line.date, ctx.calendar)[1]
                if line.product.is_flat_rate
                else None
            ),
            status=(
                BookingStatus.REQUESTED
                if line.product.service.booking_requires_approval
                else BookingStatus.VALIDATED
            ),
        )
        for line in adds
    ]
    result.booked = Booking.objects.bulk_create(new)
    CartLine.objects.filter(cart=cart).delete()
    cart.last_validated_at = now
    cart.updated_at = now
    cart.save(update_fields=["last_validated_at", "updated_at"])
    freed = [
        (b.product, b.date)
        for b in result.cancelled
        if b.status == BookingStatus.CANCELLED and b.product.capacity
    ]
    promote_waiting_lists(freed)
    booked_ids = [b.pk for b in result.booked]
    cancelled_ids = [b.pk for b in result.cancelled]
    # Rendered after commit, outside the locks (and by a worker in production).
    transaction.on_commit(
        lambda: send_cart_validation_email.enqueue(
            municipality_id=household.municipality_id,
            household_id=household.pk,
            booked_ids=booked_ids,
            cancelled_ids=cancelled_ids,
            at=now.isoformat(),
        )
    )
    return result


def _with_group_siblings(products: set[Product]) -> list[Product]:
    """The cart's products plus those sharing an incompatibility group or a service with
    them, so an incompatible booking already made is seen."""
    service_ids = {p.service_id for p in products}
    return list(Product.objects.filter(service_id__in=service_ids).select_related("service"))


def _mark_errors(lines: list[CartLine], refused: list[tuple[CartLine, Refusal]]) -> None:
    messages = {line.pk: refusal.message for line, refusal in refused}
    for line in lines:
        line.error = messages.get(line.pk, "")[:200]
    CartLine.objects.bulk_update(lines, ["error"])
