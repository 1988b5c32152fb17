"""What an invoice e-mail says of a payment by direct debit ("Prélèvement le JJ/MM/AAAA").

Billing knows no mandate: ``directdebit`` sits above it (docs/architecture.md, "The apps and
their layers") and gives billing its lookup when Django starts (``DirectDebitConfig.ready``).
Without it (a project without the app) no invoice is debited."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from .models import Invoice

DebitDays = Callable[[Iterable[Invoice]], dict[int, date]]

_debit_days: list[DebitDays] = []


def debit_days_lookup_set(lookup: DebitDays) -> None:
    _debit_days[:] = [lookup]


def invoice_debit_day(invoice: Invoice) -> date | None:
    """The day ``invoice`` is (or will be) debited, or ``None`` when it is paid otherwise."""
    if not _debit_days:
        return None
    return _debit_days[0]([invoice]).get(invoice.pk)
