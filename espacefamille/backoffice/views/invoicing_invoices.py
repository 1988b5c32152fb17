"""Issued invoices on the agents' side: search, an invoice's page with its lines and what paid
it, "Enregistrer un paiement" at the counter (cash, cheque, CESU, transfer; partial or whole)
and "Renvoyer la facture". Draft invoices are read from their run's review."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import ExpressionWrapper, F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from espacefamille.billing.agent_decisions import (
    counter_payment_record,
    invoice_resend,
)
from espacefamille.billing.balances import MONEY_FIELD, with_paid_amount
from espacefamille.billing.models import Invoice, InvoiceStatus
from espacefamille.billing.selectors import invoice_lines, invoice_settlements
from espacefamille.core.money import format_euros
from espacefamille.core.service_calls import call_service

from ..acting import AgentRequest
from ..forms.invoicing import CounterPaymentForm, InvoiceSearchForm
from ..permissions import Area, agent_required

INVOICES_PER_PAGE = 50


@agent_required(Area.INVOICING)
@require_GET
def invoice_list(request: AgentRequest) -> HttpResponse:
    form = InvoiceSearchForm(request.GET or None)
    invoices: Any = Invoice.objects.exclude(status=InvoiceStatus.DRAFT)
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            invoices = invoices.filter(
                Q(number__icontains=query) | Q(household__name__icontains=query)
            )
        if form.cleaned_data["service"]:
            invoices = invoices.filter(service=form.cleaned_data["service"])
        if form.cleaned_data["status"]:
            invoices = invoices.filter(status=form.cleaned_data["status"])
    invoices = (
        with_paid_amount(invoices.select_related("household", "service"))
        .annotate(balance=ExpressionWrapper(F("total") - F("paid_amount"), MONEY_FIELD))
        .order_by("-issued_on", "-number", "-pk")
    )
    page = Paginator(invoices, INVOICES_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "backoffice/invoicing/invoices.html",
        {"form": form, "page": page, "filters": filters.urlencode()},
    )


def _invoice(pk: int) -> Any:
    return get_object_or_404(
        with_paid_amount(Invoice.objects.select_related("household", "service", "run")), pk=pk
    )


@agent_required(Area.INVOICING)
@require_http_methods(["GET", "POST"])
def invoice_detail(request: AgentRequest, pk: int) -> HttpResponse:
    """The invoice, and the counter payment form posted to itself."""
    invoice = _invoice(pk)
    form = CounterPaymentForm(
        request.POST or None, initial={"received_on": timezone.localdate(), "method": "cheque"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received_at = timezone.make_aware(
            datetime.combine(data["received_on"], timezone.localtime().time())
            if data["received_on"] == timezone.localdate()
            else datetime.combine(data["received_on"], time(12))
        )
        settlement = call_service(
            form,
            lambda: counter_payment_record(
                invoice=invoice,
                method=data["method"],
                amount=data["amount"],
                received_at=received_at,
                reference=form.settlement_reference(),
                user=request.user,
            ),
        )
        if settlement is not None:
            messages.success(
                request,
                _("Paiement de %(amount)s enregistré (%(method)s).")
                % {
                    "amount": format_euros(settlement.amount),
                    "method": settlement.get_method_display(),
                },
            )
            return redirect("backoffice:invoicing_invoice", pk=invoice.pk)
    balance = invoice.total - invoice.paid_amount
    context = {
        "invoice": invoice,
        "lines": invoice_lines(invoice=invoice),
        "settlements": invoice_settlements(invoice=invoice),
        "balance": balance,
        "can_pay": invoice.status == InvoiceStatus.FINAL and balance > 0,
        "form": form,
    }
    return render(request, "backoffice/invoicing/invoice.html", context)


@agent_required(Area.INVOICING)
@require_POST
def invoice_resend_view(request: AgentRequest, pk: int) -> HttpResponse:
    invoice: Invoice = get_object_or_404(Invoice.objects.select_related("recipient__user"), pk=pk)
    address = call_service(
        request,
        lambda: invoice_resend(invoice=invoice, user=request.user),
    )
    if address is not None:
        messages.success(
            request, _("La facture est renvoyée à %(address)s.") % {"address": address}
        )
    return redirect("backoffice:invoicing_invoice", pk=invoice.pk)
