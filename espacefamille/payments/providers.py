"""The payment providers, through eopayment: which configuration serves a régie, how a
request is built, and what a provider's answer says once checked.

eopayment's backends log at DEBUG what they sign, secret included (systempayv2 logs the signed
string): they get a logger of their own that never logs below WARNING. The ``dummy`` backend
is for the demo and the tests only; its ``request()`` (3.15) always points at Entr'ouvert's
host, unreachable here, so the URL it returns is re-rooted at our own demo bank page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

import eopayment
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from espacefamille.catalog.models import Service

from .errors import PaymentError, PaymentReason
from .models import Payment, PaymentState, ProviderConfig

QUIET_LOGGER = logging.getLogger("espacefamille.payments.eopayment")
QUIET_LOGGER.setLevel(logging.WARNING)

DEMO_BACKEND = "dummy"
PAYFIP_BACKEND = "payfip_ws"
# Backends whose prepaid invoice is numbered before the payment (PayFiP: the invoice number is
# the "référence de la dette" it receives); see ``payments.prenumbering``.
PRENUMBERED_BACKENDS = frozenset({PAYFIP_BACKEND})
EURO_ISO_NUMERIC = "978"

RESULTS = {
    eopayment.PAID: PaymentState.PAID,
    eopayment.ACCEPTED: PaymentState.PENDING,  # authorised, not yet captured
    eopayment.DENIED: PaymentState.REFUSED,
    eopayment.CANCELLED: PaymentState.CANCELLED,
    eopayment.WAITING: PaymentState.PENDING,
    eopayment.RECEIVED: PaymentState.PENDING,
    eopayment.EXPIRED: PaymentState.EXPIRED,
    eopayment.ERROR: PaymentState.ERROR,
}


def provider_for(*, service: Service) -> ProviderConfig | None:
    """The régie's own provider, else the town's default one."""
    configs = ProviderConfig.objects.filter(is_active=True, service__in=[service]) | (
        ProviderConfig.objects.filter(is_active=True, service__isnull=True)
    )
    return min(configs, key=lambda config: config.service_id is None, default=None)


def demo_bank_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "DEMO_BANK", False))


def _backend(config: ProviderConfig, base_url: str) -> eopayment.Payment:
    if config.backend == DEMO_BACKEND and not demo_bank_allowed():
        raise PaymentError(
            PaymentReason.PROVIDER_UNAVAILABLE,
            _("Le service de paiement est indisponible."),
        )  # the demo bank outside DEBUG or DEMO_BANK
    root = base_url.rstrip("/")
    options: dict[str, Any] = {
        "normal_return_url": root + reverse("payments:return", args=[config.pk]),
        "automatic_return_url": root + reverse("payments:notify", args=[config.pk]),
        **(config.options or {}),
    }
    if config.backend == DEMO_BACKEND:
        options["dummy_service_url"] = root + reverse("payments:demo_bank")
    return eopayment.Payment(config.backend, options, logger=QUIET_LOGGER)


def request_payment(
    *, payment: Payment, email: str, base_url: str
) -> tuple[str, str, dict[str, Any]]:
    """Ask the provider for a payment page: (the provider's transaction id, the URL to send the
    browser to, or the form to POST there for FORM-kind backends such as SystemPay)."""
    assert payment.provider is not None
    backend = _backend(payment.provider, base_url)
    transaction_id, kind, data = backend.request(
        payment.amount, email=email, **request_kwargs(payment)
    )
    if kind == eopayment.FORM:
        fields = [[field["name"], str(field["value"])] for field in data.fields]
        return str(transaction_id), "", {"url": data.url, "method": data.method, "fields": fields}
    if kind != eopayment.URL:
        raise PaymentError(
            PaymentReason.PROVIDER_UNAVAILABLE, _("Le service de paiement est indisponible.")
        )  # a request kind we do not know
    url = str(data)
    if payment.provider.backend == DEMO_BACKEND:
        url = backend.backend.dummy_service_url + "?" + urlsplit(url).query
    return str(transaction_id), url, {}


def request_kwargs(payment: Payment) -> dict[str, str]:
    """Our order reference for every provider; PayFiP also wants the invoice's number as its
    "référence de la dette" (one invoice per payment; letters and digits only)."""
    kwargs = {"orderid": payment.reference, "subject": payment.reference}
    if payment.backend == PAYFIP_BACKEND and payment.invoice is not None:
        kwargs["refdet"] = payfip_refdet(payment.invoice.number)
    return kwargs


def payfip_refdet(number: str) -> str:
    """An invoice number as PayFiP's "référence de la dette": letters and digits only
    (``2026-AM-000019`` → ``2026AM000019``)."""
    return "".join(char for char in number if char.isalnum())


def expected_order_reference(payment: Payment) -> str:
    """The order reference a provider's answer must carry for ``payment``."""
    if payment.backend == PAYFIP_BACKEND and payment.invoice is not None:
        return payfip_refdet(payment.invoice.number)
    return payment.reference


def backend_for(config: ProviderConfig, *, base_url: str) -> eopayment.Payment:
    """The eopayment backend of ``config`` (for a status poll)."""
    return _backend(config, base_url)


@dataclass(frozen=True)
class ProviderAnswer:
    """A provider's answer as read by eopayment, reduced to what we check and apply."""

    state: str
    signed: bool
    transaction_id: str
    order_reference: str
    amount: Decimal | None
    currency: str | None
    return_content: str | None


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)


def read_answer(*, config: ProviderConfig, query_string: str, base_url: str) -> ProviderAnswer:
    """Parse what the provider sent. Raises ``PaymentError`` when eopayment cannot read it."""
    backend = _backend(config, base_url)
    try:
        response = backend.response(query_string)
    except (eopayment.ResponseError, ValueError, KeyError) as error:
        raise PaymentError(
            PaymentReason.UNREADABLE_ANSWER,
            _("La réponse du service de paiement est illisible."),
        ) from error
    return answer_from(config=config, response=response)


def answer_from(*, config: ProviderConfig, response: Any) -> ProviderAnswer:
    """Reduce eopayment's ``PaymentResponse`` (a notification's or a status poll's)."""
    data = response.bank_data or {}
    state = RESULTS.get(response.result, PaymentState.ERROR)
    amount: Decimal | None
    currency: str | None
    transaction_id = str(response.transaction_id or "")
    if config.backend == "systempayv2":
        order, currency = _first(data.get("vads_order_id")), _first(data.get("vads_currency"))
        currency = "EUR" if currency == EURO_ISO_NUMERIC else currency or None
        cents = _first(data.get("vads_amount"))
        amount = _decimal(cents, scale=Decimal("100"))
    elif config.backend == PAYFIP_BACKEND:
        # PayFiP answers with its own operation id (``idOp``, our transaction id), the
        # "référence de la dette" we sent (``refdet``) and the amount in cents (``montant``).
        order, currency = _first(data.get("refdet")), "EUR"
        amount = _decimal(_first(data.get("montant")), scale=Decimal("100"))
        transaction_id = str(response.order_id or _first(data.get("idOp")))
    else:
        order, currency = _first(data.get("orderid")), _first(data.get("currency")) or "EUR"
        amount = _decimal(_first(data.get("amount")), scale=Decimal("1"))
        if config.backend == DEMO_BACKEND and state == PaymentState.ERROR:
            # The dummy has no refusal: our demo bank page says which button was pressed.
            reason = _first(response.bank_status)
            state = {"refused": PaymentState.REFUSED, "cancelled": PaymentState.CANCELLED}.get(
                reason, PaymentState.ERROR
            )
    return ProviderAnswer(
        state=state,
        signed=bool(response.signed),
        transaction_id=transaction_id,
        order_reference=order,
        amount=amount,
        currency=currency,
        return_content=response.return_content,
    )


def _decimal(text: str, *, scale: Decimal) -> Decimal | None:
    """The amount as sent, never rounded: "1200.4" cents is 12.004, which matches no payment
    (a rounded 12.00 would). None when it is not a finite number."""
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount / scale if amount.is_finite() else None
