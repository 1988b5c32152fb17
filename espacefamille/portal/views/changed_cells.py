"""The cells of the week view a click may have changed, re-rendered out of band by htmx."""

from __future__ import annotations

from datetime import date, timedelta

from espacefamille.bookings.agenda import Cell
from espacefamille.bookings.selectors import agenda_weeks
from espacefamille.catalog.models import Product
from espacefamille.households.models import Child, Household

from .agenda_state import monday_of


def changed_cells(
    *, household: Household, child: Child, product: Product, day: date, monday: date, weeks: int
) -> list[Cell]:
    """The clicked cell (its whole row for a flat rate, one click covering its period) and,
    when the product belongs to an incompatibility group, the same day's cells of its rivals:
    whether they read "bookable" or "in place of REPAS" depends on what the cart now holds.
    The weeks shown are read once, whatever the number of cells."""
    if not monday <= day < monday + timedelta(weeks=weeks):
        monday, weeks = monday_of(day), 1
    group = product.incompatibility_group
    shown = agenda_weeks(
        household=household, child=child, service=product.service, monday=monday, weeks=weeks
    )
    cells = []
    for week in shown:
        for row in week.rows:
            if row.product.pk == product.pk:
                cells += [c for c in row.cells if product.is_flat_rate or c.day == day]
            elif group and row.product.incompatibility_group == group:
                cells += [c for c in row.cells if c.day == day]
    return cells
