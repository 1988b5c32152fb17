"""Starting a payment: a prepaid cart ("Valider") or an unpaid invoice ("Payer en ligne").

The Payment row is written (and for a cart the places held) in one transaction; the provider
is asked for its page afterwards, outside any transaction and lock, since it may be a network
call. A credit ("avoir") of the same régie is used first; when it covers everything no
provider is involved and the payment is confirmed at once."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.billing.balances import credit_balance, invoice_balance
from espacefamille.billing.models import Invoice, InvoiceStatus
from espacefamille.bookings.prepaid import HeldCart, cart_hold
from espacefamille.catalog.models import Service
from espacefamille.households.models import Household

from .errors import PaymentError, PaymentReason
from .fulfilment import failure_message, payment_fulfil, payment_release
from .invoice_batches import InvoiceBatch, batch_rows_record, invoice_batch
from .models import (
    DEFAULT_HOLD_MINUTES,
    OPEN_STATES,
    Payment,
    PaymentKind,
    PaymentSettings,
    PaymentState,
)
from .prepaid_invoices import invoice_prenumber
from .providers import provider_for, request_payment
from .receipts import queue_receipt
from .states import payment_transition

if TYPE_CHECKING:
    from espacefamille.accounts.models import User


@dataclass
class Checkout:
    held: HeldCart | None = None
    payment: Payment | None = None
    # The provider's page; empty when nothing is left to pay or the provider wants a form
    # POSTed (``payment.provider_form``, shown by the portal's "Continuer" page).
    redirect_url: str = ""


def hold_minutes(*, household: Household) -> int:
    found = PaymentSettings.objects.filter(municipality_id=household.municipality_id).first()
    return found.hold_minutes if found else DEFAULT_HOLD_MINUTES


def new_reference() -> str:
    return "EF" + secrets.token_hex(8).upper()


def payments_abandon(*, household: Household) -> int:
    """Cancel the household's open cart payments and give their places back (a new "Valider"
    replaces an attempt the family left)."""
    count = 0
    for payment_id in Payment.objects.filter(
        household=household, kind=PaymentKind.CART, state__in=OPEN_STATES
    ).values_list("pk", flat=True):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment_id)
            if payment_transition(
                payment, PaymentState.CANCELLED, outcome=_("Paiement abandonné.")
            ):
                payment_release(payment=payment)
                count += 1
    return count


def payments_expire(*, household: Household | None = None, now: datetime | None = None) -> int:
    """Expire the open cart payments whose hold has run out, releasing their places."""
    now = now or timezone.now()
    open_payments = Payment.objects.filter(
        kind=PaymentKind.CART, state__in=OPEN_STATES, hold_expires_at__lte=now
    )
    if household is not None:
        open_payments = open_payments.filter(household=household)
    count = 0
    for payment_id in open_payments.values_list("pk", flat=True):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment_id)
            if payment_transition(payment, PaymentState.EXPIRED):
                payment_release(payment=payment)
                payment.outcome = failure_message(payment)
                payment.save(update_fields=["outcome"])
                count += 1
    return count


def cart_checkout(
    *, household: Household, user: User | None, email: str, base_url: str
) -> Checkout:
    """Plan the cart and hold its prepaid places, then create the payment. ``held.ok`` False:
    refused lines, nothing held. Raises ``BookingError`` (busy, several régies, full) and
    ``PaymentError`` (no provider, a provider that does not answer)."""
    payments_abandon(household=household)
    now = timezone.now()
    with transaction.atomic():
        reference = new_reference()
        expires_at = now + timedelta(minutes=hold_minutes(household=household))
        held = cart_hold(household=household, reference=reference, expires_at=expires_at, now=now)
        if not held.ok or held.service is None:
            return Checkout(held=held)
        payment = _create(
            household=household,
            service=held.service,
            kind=PaymentKind.CART,
            total=held.total,
            reference=reference,
            created_by=user,
            hold_expires_at=expires_at,
            held_items=[
                [hold.child_id, hold.product_id, hold.date.isoformat()] for hold in held.holds
            ],
            cart_line_ids=held.other_line_ids,
        )
        if payment.state != PaymentState.PAID:
            invoice_prenumber(payment=payment)  # PayFiP: the invoice number is its reference
    return Checkout(held=held, payment=payment, redirect_url=_redirect(payment, email, base_url))


def invoice_checkout(
    *, household: Household, invoice: Invoice, user: User | None, email: str, base_url: str
) -> Checkout:
    """ "Payer en ligne" on an unpaid invoice: its whole balance, after the régie's credit."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        if locked is None or locked.household_id != household.pk:
            raise PaymentError(
                PaymentReason.NOT_YOUR_INVOICE, _("Cette facture n'est pas la vôtre.")
            )
        if locked.status != InvoiceStatus.FINAL or invoice_balance(invoice=locked) <= 0:
            raise PaymentError(
                PaymentReason.NOTHING_TO_PAY, _("Cette facture n'a plus rien à payer.")
            )
        payment = _create(
            household=household,
            service=locked.service,
            kind=PaymentKind.INVOICE,
            total=invoice_balance(invoice=locked),
            reference=new_reference(),
            created_by=user,
            invoice=locked,
        )
    return Checkout(payment=payment, redirect_url=_redirect(payment, email, base_url))


def invoices_checkout(
    *,
    household: Household,
    invoice_ids: Iterable[int],
    user: User | None,
    email: str,
    base_url: str,
) -> Checkout:
    """ "Payer la sélection" / "Tout payer": one payment for the remaining balances of several
    invoices of one régie (the rules: ``invoice_batches``). One invoice is paid as "Payer en
    ligne" pays it."""
    with transaction.atomic():
        batch = invoice_batch(household=household, invoice_ids=invoice_ids, lock=True)
        if len(batch.invoices) == 1:
            ((invoice, _balance),) = batch.invoices
            payment = _create(
                household=household,
                service=batch.service,
                kind=PaymentKind.INVOICE,
                total=batch.total,
                reference=new_reference(),
                created_by=user,
                invoice=invoice,
            )
        else:
            payment = _create(
                household=household,
                service=batch.service,
                kind=PaymentKind.INVOICES,
                total=batch.total,
                reference=new_reference(),
                created_by=user,
                batch=batch,
            )
    return Checkout(payment=payment, redirect_url=_redirect(payment, email, base_url))


def _create(
    *,
    household: Household,
    service: Service,
    kind: str,
    total: Decimal,
    batch: InvoiceBatch | None = None,
    **fields: Any,
) -> Payment:
    credit = min(max(credit_balance(household=household, service=service), Decimal("0")), total)
    amount = total - credit
    provider = provider_for(service=service) if amount > 0 else None
    if amount > 0 and provider is None:
        raise PaymentError(
            PaymentReason.ONLINE_PAYMENT_UNAVAILABLE,
            _("Le paiement en ligne n'est pas disponible pour ce service."),
        )
    payment = Payment.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        service=service,
        kind=kind,
        total=total,
        credit_used=credit,
        amount=amount,
        provider=provider,
        backend=provider.backend if provider else "",
        **fields,
    )
    if batch is not None:
        batch_rows_record(payment=payment, batch=batch)
    if amount == 0:
        payment_transition(payment, PaymentState.PAID, outcome=_("Réglé par votre avoir."))
        payment_fulfil(payment=payment)
        queue_receipt(payment=payment, base_url=None)
    return payment


def _redirect(payment: Payment, email: str, base_url: str) -> str:
    """Ask the provider for its page (outside the transaction); a provider that fails leaves
    the payment in error and its places released."""
    if payment.state == PaymentState.PAID:
        return ""
    try:
        transaction_id, url, form = request_payment(payment=payment, email=email, base_url=base_url)
    except (PaymentError, OSError) as error:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            payment_transition(
                locked, PaymentState.ERROR, outcome=_("Le service de paiement est indisponible.")
            )
            payment_release(payment=locked)
        raise PaymentError(
            PaymentReason.PROVIDER_UNAVAILABLE,
            _("Le service de paiement est indisponible. Réessayez plus tard."),
        ) from error
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        locked.transaction_id = transaction_id
        locked.provider_form = form
        locked.save(update_fields=["transaction_id", "provider_form"])
        payment_transition(locked, PaymentState.PENDING)
    payment.refresh_from_db()
    return url
