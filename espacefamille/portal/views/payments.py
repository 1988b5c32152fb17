"""Paying online from the portal: "Valider" on a prepaid cart, "Payer en ligne" on an invoice,
and the page of a payment (what the family sees back from the bank)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from espacefamille.billing.models import Invoice
from espacefamille.core.service_calls import call_service
from espacefamille.directdebit.selectors import invoice_debit_days
from espacefamille.payments.checkout import (
    Checkout,
    cart_checkout,
    invoice_checkout,
    payments_expire,
)
from espacefamille.payments.models import Payment, PaymentInvoice

from ..acting import PortalRequest
from ..decorators import household_required


def _go(request: PortalRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _after_checkout(request: PortalRequest, checkout: Checkout) -> HttpResponse:
    assert checkout.payment is not None
    if checkout.redirect_url:
        return _go(request, checkout.redirect_url)
    reference = checkout.payment.reference
    if checkout.payment.provider_form:
        return _go(request, reverse("portal:payment_form", args=[reference]))
    return _go(request, reverse("portal:payment_status", args=[reference]))


def prepaid_cart_validate(request: PortalRequest, back: str) -> HttpResponse | None:
    """The prepaid branch of "Valider": places held and the family sent to the bank. None when
    the plan refused lines (the caller shows them as for any refused cart)."""
    checkout = call_service(
        request,
        lambda: cart_checkout(
            household=request.household,
            user=request.user,
            email=request.user.email,
            base_url=request.build_absolute_uri("/"),
        ),
    )
    if checkout is None:
        return _go(request, back)
    if checkout.held is not None and not checkout.held.ok:
        return None
    if checkout.payment is None:
        return _go(request, back)
    return _after_checkout(request, checkout)


@household_required
@require_POST
def invoice_pay(request: PortalRequest, invoice_id: int) -> HttpResponse:
    """ "Payer en ligne" on an unpaid invoice."""
    invoice = Invoice.objects.filter(pk=invoice_id, household=request.household).first()
    if invoice is None:
        raise Http404
    if invoice_debit_days([invoice]).get(invoice.pk):
        messages.error(request, _("Cette facture sera payée par prélèvement."))
        return redirect("portal:invoice_detail", invoice_id=invoice_id)
    checkout = call_service(
        request,
        lambda: invoice_checkout(
            household=request.household,
            invoice=invoice,
            user=request.user,
            email=request.user.email,
            base_url=request.build_absolute_uri("/"),
        ),
    )
    if checkout is None:
        return redirect("portal:invoice_detail", invoice_id=invoice_id)
    return _after_checkout(request, checkout)


def _payment(request: PortalRequest, reference: str) -> Payment:
    payment = (
        Payment.objects.select_related("service", "invoice")
        .filter(household=request.household, reference=reference)
        .first()
    )
    if payment is None:
        raise Http404
    return payment


@household_required
def payment_form(request: PortalRequest, reference: str) -> HttpResponse:
    """The provider's form, POSTed by the family's click (no script: CSP)."""
    payment = _payment(request, reference)
    if not payment.provider_form:
        return redirect("portal:payment_status", reference=reference)
    return render(
        request,
        "portal/payments/form.html",
        {"payment": payment, "form": payment.provider_form, "tab": "agenda"},
    )


@household_required
def payment_status(request: PortalRequest, reference: str) -> HttpResponse:
    household = request.household
    payments_expire(household=household)
    payment = _payment(request, reference)
    invoice_rows = PaymentInvoice.objects.filter(payment=payment).select_related("invoice")
    return render(
        request,
        "portal/payments/status.html",
        {"payment": payment, "tab": "agenda", "invoice_rows": list(invoice_rows)},
    )
