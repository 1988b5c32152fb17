"""How the cells of the week view look: one symbol per state (always beside its text)."""

from __future__ import annotations

from typing import Any

from django import template

from espacefamille.bookings.agenda import Cell, CellState

register = template.Library()

ICONS = {
    CellState.BOOKABLE: "○",
    CellState.NOT_BOOKABLE: "⊘",
    CellState.CLOSED: "–",
    CellState.CLOSURE_CANCELLED: "⊘",
    CellState.CART_ADD: "◐",
    CellState.CART_CANCEL: "⊗",
    CellState.REQUESTED: "◔",
    CellState.CANCEL_REQUESTED: "◕",
    CellState.VALIDATED: "✓",
    CellState.NOT_CANCELLABLE: "✓",
    CellState.PRESENT: "P",
    CellState.ABSENT: "A",
    CellState.JUSTIFIED: "AJ",
    CellState.WAITING_DAY: "C",
    CellState.WAITING_LIST: "LA",
    CellState.SWAP: "⇄",
    CellState.REFUSED: "✗",
    CellState.OTHER_HOUSEHOLD: "⇆",
}


@register.filter
def class_of(state: Any, child: Any) -> str:
    """The child's class in the week view's service (``AgendaState.classes``), or ""."""
    return str(getattr(state, "classes", {}).get(getattr(child, "pk", None), ""))


@register.filter
def cell_icon(state: str) -> str:
    try:
        return ICONS[CellState(state)]
    except ValueError:
        return ""


@register.filter
def never_opens(cell: Cell) -> bool:
    """A weekday the product never opens (no need to explain it in every cell)."""
    return cell.day.weekday() not in cell.product.weekday_set


@register.filter
def cell_key(cell: Cell) -> str:
    return f"{cell.product.pk}-{cell.day:%Y%m%d}"
