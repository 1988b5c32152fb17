"""What a validation writes to its cart and its lines, in statements compiled once per process
(core.prepared_writes): every "Valider" runs them, and through the ORM compiling them cost
more than running them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from espacefamille.core.prepared_reads import Slot, slot_values, slots_in
from espacefamille.core.prepared_writes import Written, prepared_delete, prepared_update

from .models import Cart, CartLine


def cart_mark_validated(cart_id: int, *, read_at: datetime, now: datetime) -> Written:
    """Locks the cart's row and marks it validated at ``now`` if it did not change since it was
    read (its ``updated_at`` was ``read_at``): ``count`` 0 if it changed. Sent with the other
    statements of a ``one_round_trip`` block."""
    values = {"cart": cart_id, "read": read_at, "now": now}
    return prepared_update(Cart, _cart_unchanged).send(values)


def cart_mark_put_back(cart_id: int, previous: datetime | None) -> None:
    """The cart's last validation put back to ``previous`` (a refused plan validated nothing);
    sent with the other statements of a ``one_round_trip`` block."""
    prepared_update(Cart, _cart_previous).send({"cart": cart_id, "previous": previous})


def cart_lines_errors(line_ids: list[int], error: str) -> None:
    """``error`` written on the lines of ``line_ids`` ("" clears it); sent with the other
    statements of a ``one_round_trip`` block."""
    values = {"error": error} | slot_values("line", line_ids)
    prepared_update(CartLine, _lines_error, len(line_ids)).send(values)


def cart_lines_delete(cart_id: int, line_ids: list[int] | None = None) -> Written:
    """Deletes the cart's lines (``line_ids``: only those); sent with the other statements of
    a ``one_round_trip`` block."""
    if line_ids is None:
        return prepared_delete(CartLine, _cart_lines).send({"cart": cart_id})
    values = {"cart": cart_id} | slot_values("line", line_ids)
    return prepared_delete(CartLine, _cart_lines_among, len(line_ids)).send(values)


def _cart_unchanged() -> tuple[QuerySet[Cart], dict[str, Any]]:
    rows = Cart.objects.filter(pk=Slot("cart"), updated_at=Slot("read", moment=True))
    now = Slot("now", moment=True)
    return rows, {"updated_at": now, "last_validated_at": now}


def _cart_previous() -> tuple[QuerySet[Cart], dict[str, Any]]:
    return Cart.objects.filter(pk=Slot("cart")), {
        "last_validated_at": Slot("previous", moment=True)
    }


def _lines_error(line_count: int) -> tuple[QuerySet[CartLine], dict[str, Any]]:
    return CartLine.objects.filter(slots_in("id", "line", line_count)), {"error": Slot("error")}


def _cart_lines() -> QuerySet[CartLine]:
    return CartLine.objects.filter(cart__id=Slot("cart"))


def _cart_lines_among(line_count: int) -> QuerySet[CartLine]:
    return _cart_lines().filter(slots_in("id", "line", line_count))
