"""The cart ("panier"): pending additions and cancellations for several children and products,
kept in the database until the family validates them together (validation.py)."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.catalog.models import Product
from espacefamille.core.dates import daterange
from espacefamille.households.custody import household_custody
from espacefamille.households.models import Child, Household
from espacefamille.households.sharing import all_members

from .context import BookingContext, related_products
from .errors import BookingError, Reason, Refusal
from .limits import check_period
from .models import Cart, CartAction, CartLine
from .rows_insert import rows_insert
from .rules import Pending, check_add, check_cancel, claim


def _own_children(household: Household, children: list[Child]) -> None:
    """A cart only ever holds the household's own children, whatever a caller passes."""
    if not all_members(children, household):
        raise BookingError(Reason.NOT_IN_HOUSEHOLD, _("Cet enfant n'est pas dans le foyer."))


def cart_for(*, household: Household) -> Cart:
    cart, _created = Cart.objects.get_or_create(
        municipality_id=household.municipality_id, household=household
    )
    return cart


@dataclass(frozen=True)
class ToggleResult:
    action: str  # "added", "cancel_added", "removed", "swapped", "refused"
    refusal: Refusal | None = None
    replaced: Product | None = None  # "swapped": the rival product whose line left the cart
    # A shared child's day that is the other household's by the custody pattern: a warning,
    # never a refusal.
    other_custody_day: bool = False


@transaction.atomic
def cart_toggle(*, household: Household, child: Child, product: Product, day: date) -> ToggleResult:
    """What a click on a cell of the week view does: take a cart line back out, or add a
    booking (bookable cell) or a cancellation (validated cell). Refused cells add nothing.

    A product whose incompatible rival (REPAS / REPAS VEGETARIEN) is only *in the cart* for
    that child and day takes the rival's place ("swapped"): the family changed its mind, and
    refusing with "déjà réservé" would be wrong since nothing is booked yet. A rival already
    booked still refuses the click."""
    _own_children(household, [child])
    cart = cart_for(household=household)
    ctx = BookingContext.load(
        municipality=household.municipality,
        children=[child],
        products=related_products([product]),
        days=[day],
        waiting=False,
    ).for_household(household.pk)
    key_day = ctx.key_day(product, day)
    existing = CartLine.objects.filter(cart=cart, child=child, product=product, date=key_day)
    if existing.exists():
        existing.delete()
        _touch(cart)
        return ToggleResult("removed")
    rivals: list[CartLine] = []
    if ctx.booking(child.pk, product.pk, key_day) is not None:
        refusal = check_cancel(ctx, child.pk, product, key_day)
        action = CartAction.CANCEL
    else:
        rivals = _rival_lines(cart, child, product, key_day)
        pending = _pending_from_cart(cart, ctx, leaving=rivals)
        refusal = check_add(ctx, child.pk, product, key_day, pending)
        action = CartAction.ADD
    if refusal is not None:
        return ToggleResult("refused", refusal)
    if rivals:
        CartLine.objects.filter(pk__in=[line.pk for line in rivals]).delete()
    CartLine.objects.create(
        municipality_id=household.municipality_id,
        cart=cart,
        child=child,
        product=product,
        date=key_day,
        action=action,
    )
    _touch(cart)
    custody = household_custody(child, household.pk) if action == CartAction.ADD else None
    warn = custody is not None and not custody.is_mine(key_day)
    if rivals:
        return ToggleResult("swapped", replaced=rivals[0].product, other_custody_day=warn)
    if action == CartAction.ADD:
        return ToggleResult("added", other_custody_day=warn)
    return ToggleResult("cancel_added")


def _rival_lines(cart: Cart, child: Child, product: Product, day: date) -> list[CartLine]:
    """The child's additions in the cart, that day, of products incompatible with ``product``
    (a flat rate and a unit product are not swapped: the one in the cart refuses the other)."""
    if not product.incompatibility_group:
        return []
    return list(
        CartLine.objects.filter(
            cart=cart,
            child=child,
            date=day,
            action=CartAction.ADD,
            product__incompatibility_group=product.incompatibility_group,
            product__flat_rate_period=product.flat_rate_period,
        )
        .exclude(product=product)
        .select_related("product")
    )


def _pending_from_cart(
    cart: Cart, ctx: BookingContext, leaving: list[CartLine] | None = None
) -> Pending:
    """What the cart's lines claim, except ``leaving`` (lines about to be replaced)."""
    pending = Pending.empty()
    left = {line.pk for line in leaving or []}
    for line in CartLine.objects.filter(cart=cart).exclude(pk__in=left).select_related("product"):
        if line.action == CartAction.ADD:
            claim(pending, line.child_id, line.product, line.date)
        else:
            pending.freed.add((line.child_id, line.product_id, line.date))
    return pending


def _touch(cart: Cart) -> None:
    cart.updated_at = timezone.now()
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_clear(*, household: Household) -> int:
    """ "Vider le panier"."""
    cart = cart_for(household=household)
    deleted, _by_model = CartLine.objects.filter(cart=cart).delete()
    _touch(cart)
    return deleted


@transaction.atomic
def cart_remove_failed(*, household: Household) -> int:
    cart = cart_for(household=household)
    deleted, _by_model = CartLine.objects.filter(cart=cart).exclude(error="").delete()
    _touch(cart)
    return deleted


@dataclass
class PeriodResult:
    added: int = 0
    skipped: list[tuple[Child, Product, date, Refusal]] = field(default_factory=list)
    other_custody_days: int = 0  # days added that the custody pattern gives the other household


# Days that simply do not open are skipped quietly; every other refusal is listed.
QUIET_REASONS = {Reason.CLOSED, Reason.ALREADY_BOOKED}


@transaction.atomic
def cart_add_period(
    *,
    household: Household,
    start: date,
    end: date,
    patterns: dict[Child, dict[Product, set[int]]],
    own_days_only: AbstractSet[int] = frozenset(),
) -> PeriodResult:
    """ "Réserver pour une période": every day in [start, end] whose weekday is ticked for a
    child and product goes to the cart, unless the day cannot be booked — then it is listed
    with its reason (full, past deadline, not enrolled, incompatible). A reversed, too long or
    too distant period raises ``BookingError`` (limits.py), whatever the front door.
    ``own_days_only``: the shared children for which only the household's custody days are
    added (households.custody); the other's days added anyway are counted, as a warning."""
    result = PeriodResult()
    check_period(start, end, timezone.now())
    products = {p for per_child in patterns.values() for p in per_child}
    if not products:
        return result
    _own_children(household, list(patterns))
    cart = cart_for(household=household)
    ctx = BookingContext.load(
        municipality=household.municipality,
        children=list(patterns),
        products=related_products(products),
        days=daterange(start, end),
        attendance=False,
        waiting=False,
    ).for_household(household.pk)
    pending = _pending_from_cart(cart, ctx)
    in_cart = set(CartLine.objects.filter(cart=cart).values_list("child_id", "product_id", "date"))
    new_lines: list[CartLine] = []
    for child, per_product in patterns.items():
        custody = household_custody(child, household.pk)
        for product, weekdays in sorted(per_product.items(), key=lambda item: item[0].pk):
            day = start
            while day <= end:
                others = custody is not None and not custody.is_mine(day)
                if others and child.pk in own_days_only:
                    day += timedelta(days=1)
                    continue
                if day.weekday() in weekdays:
                    key_day = ctx.key_day(product, day)
                    key = (child.pk, product.pk, key_day)
                    if key not in in_cart:
                        refusal = check_add(ctx, child.pk, product, key_day, pending)
                        if refusal is None:
                            claim(pending, child.pk, product, key_day)
                            in_cart.add(key)
                            result.other_custody_days += int(others)
                            new_lines.append(
                                CartLine(
                                    municipality_id=household.municipality_id,
                                    cart_id=cart.pk,
                                    child_id=child.pk,
                                    product_id=product.pk,
                                    date=key_day,
                                    action=CartAction.ADD,
                                )
                            )
                        elif refusal.reason not in QUIET_REASONS:
                            result.skipped.append((child, product, day, refusal))
                day += timedelta(days=1)
    rows_insert(new_lines)
    result.added = len(new_lines)
    _touch(cart)
    return result
