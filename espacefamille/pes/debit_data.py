"""What a title line needs to carry a direct debit through the treasury (``InfoPrelevementSEPA``,
``NatPrel`` 01): the mandate and the debtor's account, from the direct-debit app. ``previous_*``
are set when the mandate was amended (new RUM, new account) since its last collection: the
title then carries the ``Ancien*`` fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from espacefamille.billing.models import Invoice
from espacefamille.directdebit.debit_data import DebitData
from espacefamille.directdebit.selectors import debit_data_for_invoices
from espacefamille.directdebit.services import treasury_debits_mark_collected

__all__ = ["DebitData", "debits_for_invoices", "debits_mark_sent"]


def _invoices(invoice_ids: Iterable[int]) -> list[Invoice]:
    return list(
        Invoice.objects.filter(pk__in=list(invoice_ids)).only("pk", "household_id", "service_id")
    )


def debits_for_invoices(invoice_ids: Iterable[int]) -> Mapping[int, DebitData]:
    """Invoice id → debit data for the invoices whose household pays by direct debit through
    the treasury (an active mandate of a régie collecting that way)."""
    return debit_data_for_invoices(_invoices(invoice_ids))


def debits_mark_sent(invoice_ids: Iterable[int], *, on: date) -> int:
    """The file carrying these debits is written: their mandates were presented (RCUR next)."""
    return treasury_debits_mark_collected(invoices=_invoices(invoice_ids), on=on)
