"""``cart_validate``: apply every line of a cart, or none.

Everything that does not depend on the places left is read before any lock, outside the
transaction (the cart, its lines, the calendar, enrolments, the children's bookings): on SQLite
that keeps the reads out of the single write lock. Under the cart's row lock — the cart is read
again only if it changed meanwhile — and the product-day locks, only the ledger rows of the
capped days are read, the pure plan (planning.py) decides,
and the plan is applied in a handful of statements. When a line fails no booking is written:
each failing line keeps its reason. Validating the same cart twice changes nothing the second
time. The e-mail is rendered by a task after commit, from ids."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from espacefamille.catalog.models import Product
from espacefamille.core.round_trips import one_round_trip
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.households.models import Household

from .cart_lines import cart_line_order, lines_with_related
from .cart_writes import (
    cart_lines_delete,
    cart_lines_errors,
    cart_mark_put_back,
    cart_mark_validated,
)
from .context import BookingContext
from .emails import send_cart_validation_email
from .errors import BookingError
from .events import SettleCancelled
from .locking import Ledger, bound_lock_waits, lock_product_days
from .models import Booking, BookingStatus, Cart, CartLine
from .planning import CartPlan, plan_cart
from .rules import Refusal, flat_rate_span
from .transitions import booking_transition, bookings_create
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
    *,
    household: Household,
    user: User | None,
    now: datetime | None = None,
    base_url: str | None = None,
    line_ids: list[int] | None = None,
    settle: SettleCancelled,
    lines: CartLines | None = None,
) -> ValidationResult:
    """``settle`` gets the bookings the cart cancelled, inside the transaction (events.py).
    Raises ``BookingError(BUSY)`` when the places could not be locked in time.
    ``line_ids`` restricts the validation to those lines (a paid prepaid cart validates the
    lines it was paid for, whatever was added to the cart meanwhile). ``lines``: the lines the
    caller has just read with ``cart_lines_read`` (the portal's "Valider" reads them to choose
    between paying first and validating), used instead of a read of their own; the cart's
    conditional UPDATE still sees any change made since."""
    now = now or timezone.now()
    for attempt in range(2):
        # Read before any lock (on SQLite, before the write transaction serializes everyone).
        if lines is None:
            lines = cart_lines_read(household, line_ids)
        prepared = _prepare(household, now, lines)
        lines = None  # a second attempt reads them again
        if prepared is None:
            return ValidationResult(ok=True)
        try:
            with transaction.atomic():
                return _validate(prepared, household, user, now, base_url, line_ids, settle)
        except OperationalError as error:
            # SQLite: the IMMEDIATE transaction waited past its busy timeout.
            if "locked" in str(error):
                raise BookingError.busy() from error
            raise
        except IntegrityError:
            # Another household of a shared child booked the same day meanwhile (the one
            # live booking per child, product and day): read again, and the rules refuse
            # the line with their reason.
            if attempt:
                raise BookingError.busy() from None
    raise BookingError.busy()


@dataclass
class PreparedCart:
    """A cart's lines and everything the rules need for them but the places."""

    cart: Cart
    lines: list[CartLine]
    ctx: BookingContext


@dataclass
class CartLines:
    """A cart's lines in the order they claim places (child, product, day), with their cart,
    product and service, child and town; and the products the rules weigh them against
    (theirs and their rivals: ``context.related_products``)."""

    lines: list[CartLine]
    products: list[Product]


def cart_lines_read(household: Household, line_ids: list[int] | None = None) -> CartLines:
    """The cart's lines (``line_ids``: only those) and their products, in two statements."""
    lines, products = lines_with_related(household.pk, line_ids)
    # The lines' own order (child, product, day), sorted here: in SQL it joins and compiles a
    # dozen ordering terms. Earlier lines claim places first.
    cart_line_order(lines)
    return CartLines(lines, products)


def _prepare(household: Household, now: datetime, read: CartLines) -> PreparedCart | None:
    lines, products = read.lines, read.products
    if not lines:
        return None
    # The town read afresh, in the lines' statement: its calendar_version says whether the
    # calendar read for it by the pages still holds (catalog.calendar), saving the closures'
    # and holidays' queries.
    municipality = lines[0].municipality
    ctx = BookingContext.load(
        municipality=municipality,
        # By id: a model's hash costs more than an int's, for each of a school year's lines.
        children={line.child_id: line.child for line in lines}.values(),
        products=products,
        days={line.date for line in lines},
        now=now,
        places=False,
        attendance=any(line.action == "cancel" for line in lines),
        waiting=False,
        reuse_calendar=True,
    ).for_household(household.pk)
    return PreparedCart(lines[0].cart, lines, ctx)


def _validate(
    prepared: PreparedCart,
    household: Household,
    user: User | None,
    now: datetime,
    base_url: str | None,
    line_ids: list[int] | None,
    settle: SettleCancelled,
) -> ValidationResult:
    cart_id, previous = prepared.cart.pk, prepared.cart.last_validated_at
    # One round trip opens the transaction, bounds its waits for the ledger's locks and, in one
    # statement, locks the cart's row, checks that it did not change since it was read and
    # marks it validated (put back below if the plan refuses).
    with one_round_trip():
        bound_lock_waits()
        marked = cart_mark_validated(cart_id, read_at=prepared.cart.updated_at, now=now)
    if not marked.count:
        # The cart changed since it was read (another tab, another validation): read it again,
        # once its row is locked.
        carts = Cart.objects.filter(pk=cart_id)
        previous = carts.select_for_update().values_list("last_validated_at", flat=True).get()
        again = _prepare(household, now, cart_lines_read(household, line_ids))
        if again is None:
            return ValidationResult(ok=True)
        prepared = again
        carts.update(updated_at=now, last_validated_at=now)
    lines, ctx = prepared.lines, prepared.ctx
    # Expired holds matter only where the cart could run short of places.
    ledger = lock_product_days(
        [(line.product, line.date) for line in lines],
        now=now,
        release_expired="short",
        waits_bounded=True,
    )
    ctx.use_ledger(ledger)
    plan = plan_cart(ctx, lines)
    if not plan.ok:
        with one_round_trip():  # the lines' reasons and the cart's mark put back
            _mark_errors(lines, plan.refused)
            cart_mark_put_back(cart_id, previous)
        return ValidationResult(ok=False, refused=plan.refused)
    result = _apply(plan, ctx, ledger, household, user, now)
    # The ledger's changes, and the lines applied deleted, in one round trip: the whole cart,
    # unless some lines were asked for. No line came in since they were read: every writer of
    # a line touches the cart in its transaction, and the cart's row is locked here, unchanged
    # since (a line still uncommitted is not seen).
    with one_round_trip():
        ledger.flush()
        cart_lines_delete(cart_id, None if line_ids is None else [line.pk for line in lines])
    cancelled = [b for b in result.cancelled if b.status == BookingStatus.CANCELLED]
    if cancelled:
        settle(cancelled)
    booked_ids = [b.pk for b in result.booked]
    cancelled_ids = [b.pk for b in result.cancelled]
    task_enqueue_on_commit(
        send_cart_validation_email,
        municipality_id=household.municipality_id,
        household_id=household.pk,
        booked_ids=booked_ids,
        cancelled_ids=cancelled_ids,
        at=now.isoformat(),
        base_url=base_url,
    )
    return result


def _apply(
    plan: CartPlan,
    ctx: BookingContext,
    ledger: Ledger,
    household: Household,
    user: User | None,
    now: datetime,
) -> ValidationResult:
    """The plan's cancellations and bookings, in the ledger's rows too (written back by the
    caller) and the waiting lists of the places freed."""
    result = ValidationResult(ok=True)
    for item in plan.cancellations:
        assert item.booking is not None and item.to is not None  # a plan that is ok
        booking_transition(item.booking, item.to, ledger=ledger)
        result.cancelled.append(item.booking)
    new = []
    for item in plan.additions:
        line = item.line
        assert item.to is not None
        end_date = None
        if line.product.is_flat_rate:
            end_date = flat_rate_span(line.product, line.date, ctx.calendar)[1]
        new.append(
            Booking(
                municipality_id=household.municipality_id,
                household_id=household.pk,
                child_id=line.child_id,
                product_id=line.product_id,
                date=line.date,
                end_date=end_date,
                status=item.to,
                created_by_id=user.pk if user is not None else None,
                created_at=now,
                updated_at=now,
            )
        )
    result.booked = bookings_create(new, ledger=ledger, products=ctx.products)
    freed = [
        (b.product, b.date)
        for b in result.cancelled
        if b.status == BookingStatus.CANCELLED and b.product.capacity
    ]
    promote_waiting_lists(freed, ledger=ledger, now=now)
    return result


def _mark_errors(lines: list[CartLine], refused: list[tuple[CartLine, Refusal]]) -> None:
    """Each refused line keeps its reason, the others none: one UPDATE per reason that changes
    (a rush refusing a cart's days "Complet" writes one; ``bulk_update`` compiled a CASE for
    each line). The lines' errors are the database's: read under the cart's row lock, or
    before it with the cart unchanged since, and only a validation of that cart writes them."""
    messages = {line.pk: refusal.message[:200] for line, refusal in refused}
    changed: dict[str, list[int]] = defaultdict(list)
    for line in lines:
        error = messages.get(line.pk, "")
        if line.error != error:
            line.error = error
            changed[error].append(line.pk)
    for error, line_ids in changed.items():
        cart_lines_errors(line_ids, error)
