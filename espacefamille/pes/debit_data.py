"""What a title line needs to carry a direct debit through the treasury (``InfoPrelevementSEPA``,
``NatPrel`` 01): the mandate and the debtor's account, from the direct-debit app. ``previous_*``
are set when the mandate was amended (new RUM, new account) since its last collection: the
title then carries the ``Ancien*`` fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.db.models import Exists, OuterRef

from espacefamille.billing.models import Invoice
from espacefamille.directdebit.debit_data import DebitData
from espacefamille.directdebit.models import Mandate, MandateStatus
from espacefamille.directdebit.selectors import debit_data_for_invoices
from espacefamille.directdebit.services import treasury_debits_mark_collected

__all__ = ["DebitData", "debits_for_invoices", "debits_mark_sent"]


def _invoices(invoice_ids: Iterable[int]) -> list[Invoice]:
    return list(
        Invoice.objects.filter(pk__in=list(invoice_ids)).only("pk", "household_id", "service_id")
    )


def debits_for_invoices(invoice_ids: Iterable[int]) -> Mapping[int, DebitData]:
    """Invoice id → debit data for the invoices whose household pays by direct debit through
    the treasury (an active mandate of a régie collecting that way). Only the invoices whose
    household holds an active mandate of the invoice's régie are read (a month of 10,000
    invoices where few families pay by debit builds few objects)."""
    active_mandate = Mandate.objects.filter(
        status=MandateStatus.ACTIVE,
        household_id=OuterRef("household_id"),
        service_id=OuterRef("service_id"),
    )
    return debit_data_for_invoices(
        Invoice.objects.filter(pk__in=list(invoice_ids))
        .filter(Exists(active_mandate))
        .only("pk", "household_id", "service_id")
    )


def debits_mark_sent(invoice_ids: Iterable[int], *, on: date) -> int:
    """The file carrying these debits is written: their mandates were presented (RCUR next)."""
    return treasury_debits_mark_collected(invoices=_invoices(invoice_ids), on=on)
