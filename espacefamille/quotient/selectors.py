"""What the quotient pages show: the quotients of a household with how each came, newest
first, and the one in force today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from espacefamille.billing.models import HouseholdQuotient
from espacefamille.households.models import Household

from .models import QuotientEntry


def format_quotient(value: Decimal) -> str:
    """650 for 650.00, 812,5 for 812.50: as a certificate writes it."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class QuotientRow:
    quotient: HouseholdQuotient
    entry: QuotientEntry | None


def quotient_rows(*, household: Household, limit: int = 20) -> list[QuotientRow]:
    rows = list(
        HouseholdQuotient.objects.filter(household=household).order_by("-valid_from", "-pk")[:limit]
    )
    entries = {
        entry.quotient_id: entry
        for entry in QuotientEntry.objects.filter(quotient__in=rows).select_related(
            "recorded_by", "guardian"
        )
    }
    return [QuotientRow(row, entries.get(row.pk)) for row in rows]


def quotient_in_force(rows: list[QuotientRow], day: date | None = None) -> QuotientRow | None:
    """Of rows newest first: the latest recorded among those started on or before ``day``."""
    today = day or timezone.localdate()
    started = [row for row in rows if row.quotient.valid_from <= today]
    if not started:
        return None
    latest = max(row.quotient.valid_from for row in started)
    return max(
        (row for row in started if row.quotient.valid_from == latest), key=lambda r: r.quotient.pk
    )
