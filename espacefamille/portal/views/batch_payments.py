""" "Payer la sélection" / "Tout payer" on "Mes factures": the invoices ticked (or all those of a
régie) are shown with what is left to pay on each, the credit used and the total, computed on
the server; "Payer" then sends the family to the régie's bank once for all of them. What may be
paid together is the payments app's rule (``payments.invoice_batches``); an invoice that will be
taken by direct debit is refused here, as "Payer en ligne" refuses it."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from espacefamille.billing.models import Invoice
from espacefamille.billing.selectors import InvoiceRow
from espacefamille.core.bounds import parse_id
from espacefamille.core.service_calls import call_service
from espacefamille.directdebit.selectors import invoice_debit_days
from espacefamille.payments.checkout import invoices_checkout
from espacefamille.payments.invoice_batches import MOST_INVOICES, invoice_batch

from ..acting import PortalRequest
from ..decorators import household_required
from .payments import _after_checkout

FIELD = "facture"


def chosen_ids(values: Sequence[str]) -> list[int] | None:
    """The invoice ids sent; None when one of them is not an id."""
    ids = [parse_id(value) for value in values[: MOST_INVOICES + 1]]
    return None if any(found is None for found in ids) else [found for found in ids if found]


def _debited(request: PortalRequest, ids: list[int]) -> bool:
    invoices = Invoice.objects.filter(pk__in=ids, household=request.household)
    return any(invoice_debit_days(list(invoices)).values())


@household_required
def invoices_pay(request: PortalRequest) -> HttpResponse:
    """GET: the invoices chosen and their total, before paying. POST: pay them."""
    params = request.POST if request.method == "POST" else request.GET
    ids = chosen_ids(params.getlist(FIELD))
    if not ids:
        messages.error(request, _("Choisissez au moins une facture à payer."))
        return redirect("portal:invoices")
    if _debited(request, ids):
        messages.error(
            request,
            _("Une de ces factures sera payée par prélèvement : ne la choisissez pas."),
        )
        return redirect("portal:invoices")
    if request.method == "POST":
        checkout = call_service(
            request,
            lambda: invoices_checkout(
                household=request.household,
                invoice_ids=ids,
                user=request.user,
                email=request.user.email,
                base_url=request.build_absolute_uri("/"),
            ),
        )
        if checkout is None:
            return redirect("portal:invoices")
        return _after_checkout(request, checkout)
    batch = call_service(
        request, lambda: invoice_batch(household=request.household, invoice_ids=ids)
    )
    if batch is None:
        return redirect("portal:invoices")
    return render(
        request,
        "portal/invoices/pay_several.html",
        {"batch": batch, "field": FIELD},
    )


def pay_all_links(rows: list[InvoiceRow]) -> list[dict[str, object]]:
    """ "Tout payer" per régie that has at least two invoices payable online."""
    by_service: dict[int, list[InvoiceRow]] = {}
    for row in rows:
        if not row.is_paid and not getattr(row.invoice, "debit_day", None):
            by_service.setdefault(row.invoice.service_id, []).append(row)
    return [
        {
            "service": group[0].invoice.service,
            "ids": [row.invoice.pk for row in group],
            "count": len(group),
            "total": sum((row.balance for row in group), Decimal("0.00")),
        }
        for group in by_service.values()
        if len(group) > 1
    ]
