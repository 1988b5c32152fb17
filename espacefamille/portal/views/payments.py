"""Paying online from the portal: "Valider" on a prepaid cart, "Payer en ligne" on an invoice,
and the page of a payment (what the family sees back from the bank)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from espacefamille.billing.models import Invoice
from espacefamille.bookings.errors import BookingError
from espacefamille.directdebit.selectors import invoice_debit_days
from espacefamille.payments.checkout import (
    Checkout,
    CheckoutError,
    cart_checkout,
    invoice_checkout,
    payments_expire,
)
from espacefamille.payments.models import Payment

from ..decorators import household_required


def _go(request: HttpRequest, url: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _after_checkout(request: HttpRequest, checkout: Checkout) -> HttpResponse:
    assert checkout.payment is not None
    if checkout.redirect_url:
        return _go(request, checkout.redirect_url)
    reference = checkout.payment.reference
    if checkout.payment.provider_form:
        return _go(request, reverse("portal:payment_form", args=[reference]))
    return _go(request, reverse("portal:payment_status", args=[reference]))


def prepaid_cart_validate(request: HttpRequest, back: str) -> HttpResponse | None:
    """The prepaid branch of "Valider": places held and the family sent to the bank. None when
    the plan refused lines (the caller shows them as for any refused cart)."""
    try:
        checkout = cart_checkout(
            household=request.household,  # type: ignore[attr-defined]
            user=request.user,  # type: ignore[arg-type]
            email=request.user.email,  # type: ignore[union-attr]
            base_url=request.build_absolute_uri("/"),
        )
    except (BookingError, CheckoutError) as error:
        messages.error(request, error.message)
        return _go(request, back)
    if checkout.held is not None and not checkout.held.ok:
        return None
    if checkout.payment is None:
        return _go(request, back)
    return _after_checkout(request, checkout)


@household_required
@require_POST
def invoice_pay(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """ "Payer en ligne" on an unpaid invoice."""
    invoice = Invoice.objects.filter(pk=invoice_id, household=request.household).first()  # type: ignore[attr-defined]
    if invoice is None:
        raise Http404
    if invoice_debit_days([invoice]).get(invoice.pk):
        messages.error(request, _("Cette facture sera payée par prélèvement."))
        return redirect("portal:invoice_detail", invoice_id=invoice_id)
    try:
        checkout = invoice_checkout(
            household=request.household,  # type: ignore[attr-defined]
            invoice=invoice,
            user=request.user,  # type: ignore[arg-type]
            email=request.user.email,  # type: ignore[union-attr]
            base_url=request.build_absolute_uri("/"),
        )
    except CheckoutError as error:
        messages.error(request, error.message)
        return redirect("portal:invoice_detail", invoice_id=invoice_id)
    return _after_checkout(request, checkout)


def _payment(request: HttpRequest, reference: str) -> Payment:
    payment = (
        Payment.objects.select_related("service", "invoice")
        .filter(household=request.household, reference=reference)  # type: ignore[attr-defined]
        .first()
    )
    if payment is None:
        raise Http404
    return payment


@household_required
def payment_form(request: HttpRequest, reference: str) -> HttpResponse:
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
def payment_status(request: HttpRequest, reference: str) -> HttpResponse:
    household = request.household  # type: ignore[attr-defined]
    payments_expire(household=household)
    payment = _payment(request, reference)
    return render(request, "portal/payments/status.html", {"payment": payment, "tab": "agenda"})
