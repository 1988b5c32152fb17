"""A cart's validation as a pure plan: what each line would do, or why it is refused. It reads
only the ``BookingContext`` (with the places of the locked ledger rows), so it can be tested
without a database and computed while the locks are held without a single query."""

from __future__ import annotations

from dataclasses import dataclass, field

from .context import BookingContext
from .models import Booking, BookingStatus, CartAction, CartLine
from .rules import Pending, Refusal, check_add, check_cancel, claim
from .transitions import cancellation_status, initial_status


@dataclass(frozen=True)
class LinePlan:
    line: CartLine
    to: BookingStatus | None = None  # the state the line leads to (None when refused)
    booking: Booking | None = None  # the booking a cancellation moves
    refusal: Refusal | None = None


@dataclass
class CartPlan:
    cancellations: list[LinePlan] = field(default_factory=list)
    additions: list[LinePlan] = field(default_factory=list)

    @property
    def refused(self) -> list[tuple[CartLine, Refusal]]:
        return [
            (plan.line, plan.refusal)
            for plan in (*self.cancellations, *self.additions)
            if plan.refusal is not None
        ]

    @property
    def ok(self) -> bool:
        return not self.refused


def plan_cart(ctx: BookingContext, lines: list[CartLine]) -> CartPlan:
    """Cancellations first (the places they free may serve the cart's own additions), then
    additions, each checked together with the lines before it."""
    plan = CartPlan()
    pending = Pending.empty()
    for line in lines:
        if line.action != CartAction.CANCEL:
            continue
        refusal = check_cancel(ctx, line.child_id, line.product, line.date)
        booking = ctx.booking(line.child_id, line.product_id, line.date)
        if refusal or booking is None:
            plan.cancellations.append(LinePlan(line, refusal=refusal))
            continue
        pending.freed.add((line.child_id, line.product_id, line.date))
        to = cancellation_status(line.product, booking)
        plan.cancellations.append(LinePlan(line, to=to, booking=booking))
    for line in lines:
        if line.action != CartAction.ADD:
            continue
        refusal = check_add(ctx, line.child_id, line.product, line.date, pending)
        if refusal:
            plan.additions.append(LinePlan(line, refusal=refusal))
            continue
        claim(pending, line.child_id, line.product, line.date)
        plan.additions.append(LinePlan(line, to=initial_status(line.product)))
    return plan
