"""The provider-facing doors: the server-to-server notification, the browser's return, and
the demo bank page. They parse, pick the provider's town and call one service each."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from espacefamille.accounts.client_address import client_address
from espacefamille.core.tenancy import municipality_scope, scopes_disabled

from .models import NotificationChannel, Payment, ProviderConfig
from .notifications import notification_receive
from .providers import DEMO_BACKEND, demo_bank_allowed

BANK_FIELDS = ("transaction_id", "amount", "orderid")


def _config(config_id: int) -> ProviderConfig:
    with scopes_disabled():
        config = ProviderConfig.objects.filter(pk=config_id).first()
    if config is None:
        raise Http404
    return config


def _query_string(request: HttpRequest) -> str:
    if request.method == "POST":
        return request.body.decode("utf-8", "replace")
    query: str = request.META.get("QUERY_STRING", "")
    return query


@csrf_exempt
@require_http_methods(["GET", "POST"])
def notify(request: HttpRequest, config_id: int) -> HttpResponse:
    """The provider's notification: 200 when applied or repeated, 400 when refused."""
    config = _config(config_id)
    with municipality_scope(config.municipality_id):
        received = notification_receive(
            config=config,
            query_string=_query_string(request),
            channel=NotificationChannel.NOTIFICATION,
            base_url=request.build_absolute_uri("/"),
            client_address=client_address(request),
        )
    status = received.refused_status or (200 if received.ok else 400)
    return HttpResponse(received.content, status=status, content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def browser_return(request: HttpRequest, config_id: int) -> HttpResponse:
    """The family back from the provider: recorded, then the payment's own page, which shows
    the state the notification set (never the return's claim)."""
    config = _config(config_id)
    with municipality_scope(config.municipality_id):
        received = notification_receive(
            config=config,
            query_string=_query_string(request),
            channel=NotificationChannel.RETURN,
            base_url=request.build_absolute_uri("/"),
            client_address=client_address(request),
        )
    if received.payment is None:
        return redirect("portal:agenda")
    return redirect("portal:payment_status", reference=received.payment.reference)


@require_http_methods(["GET", "POST"])
def demo_bank(request: HttpRequest) -> HttpResponse:
    """ "Mode démonstration — aucun paiement réel": what eopayment's dummy backend expects of
    a bank. "Payer", "Refuser" and "Annuler" send the notification (server to server: in
    process here) then send the browser back. Both addresses are rebuilt from the payment's
    provider, never taken from the request (a ``return_url`` there could point anywhere).
    Refused unless DEBUG or DEMO_BANK=1."""
    if not demo_bank_allowed():
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    transaction_id = params.get("transaction_id", "")
    with scopes_disabled():
        payment = (
            Payment.objects.select_related("provider", "service", "municipality")
            .filter(transaction_id=transaction_id, provider__backend=DEMO_BACKEND)
            .first()
        )
    if payment is None or payment.provider is None:
        raise Http404
    if request.method == "GET":
        return render(
            request,
            "payments/demo_bank.html",
            {"payment": payment, "fields": [(name, params.get(name, "")) for name in BANK_FIELDS]},
        )
    action = params.get("action", "")
    answer = {"transaction_id": transaction_id}
    if action == "pay":
        answer["ok"] = "1"
    elif action in ("refuse", "cancel"):
        answer["reason"] = "refused" if action == "refuse" else "cancelled"
    else:
        return HttpResponseBadRequest()
    notification = {
        **answer,
        "signed": "1",
        "amount": params.get("amount", ""),
        "orderid": params.get("orderid", ""),
    }
    config = payment.provider
    with municipality_scope(config.municipality_id):
        notification_receive(
            config=config,
            query_string=urlencode(notification),
            channel=NotificationChannel.NOTIFICATION,
            base_url=request.build_absolute_uri("/"),
        )
    back = reverse("payments:return", args=[config.pk])
    return redirect(back + "?" + urlencode(answer))
