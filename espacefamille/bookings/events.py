"""What a cancellation gives back is called, not signalled (DESIGN convention 13).

Bookings sits below billing and payments, so it cannot call the prepaid settlement (credit
note, refund owed) itself without a cycle. Each booking service that cancels therefore takes a
``settle`` function as a required keyword argument and calls it, inside its own transaction,
with the bookings it has just moved to "cancelled": a caller cannot forget it (there is no
default), and the writes of ``settle`` commit or roll back with the cancellation. The public
entry points that pass the real settlement live above both, in
``espacefamille.payments.cancellations``; the front doors call those."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Booking

# Called with the bookings a cancellation (a family's cart, an agent's acceptance or counter
# cancellation, a closure) has just moved to "cancelled".
SettleCancelled = Callable[[list["Booking"]], None]
