"""The period wizard's weekly pattern checked against the incompatibility groups at the step
where it is ticked: REPAS and REPAS VEGETARIEN on the same weekday can never both be booked,
so the wizard says so before "Terminer" rather than skipping each of those days afterwards
(``rules.check_incompatible`` still decides each day when the cart is filled)."""

from __future__ import annotations

from dataclasses import dataclass

from espacefamille.catalog.models import Product


@dataclass(frozen=True)
class PatternConflict:
    weekday: int  # 0 = Monday
    products: tuple[Product, ...]


def pattern_conflicts(pattern: dict[Product, set[int]]) -> list[PatternConflict]:
    """The weekdays where two products of one incompatibility group are ticked (a flat rate
    counts on every weekday it opens on)."""
    ticked: dict[tuple[str, int], list[Product]] = {}
    for product, days in pattern.items():
        if not product.incompatibility_group or not days:
            continue
        covered = set(product.weekday_set) if product.is_flat_rate else days
        for weekday in covered:
            ticked.setdefault((product.incompatibility_group, weekday), []).append(product)
    return [
        PatternConflict(weekday, tuple(sorted(products, key=lambda p: p.name)))
        for (_group, weekday), products in sorted(ticked.items(), key=lambda item: item[0][1])
        if len(products) > 1
    ]
