"""Configuration › Accès API: the town's API keys (made here, shown once, revoked here) and its
webhook subscriptions with their last deliveries. Administrators only; another town's key or
subscription answers 404 (the queries run in the agent's town scope)."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.api.keys import addresses_parse, api_key_create, api_key_revoke
from espacefamille.api.models import ApiKey, WebhookDelivery, WebhookSubscription
from espacefamille.api.scopes import SCOPE_LABELS
from espacefamille.api.webhook_subscriptions import (
    subscription_create,
    subscription_delete,
    subscription_enable,
)
from espacefamille.core.service_calls import call_service

from ..acting import AgentRequest
from ..forms.api_access import ApiKeyForm, WebhookForm
from ..permissions import Area, agent_required

RECENT_DELIVERIES = 20


@agent_required(Area.CONFIGURATION)
def api_access(request: AgentRequest) -> HttpResponse:
    deliveries = WebhookDelivery.objects.select_related("subscription").order_by(
        "-created_at", "-pk"
    )[:RECENT_DELIVERIES]
    return render(
        request,
        "backoffice/configuration/api_access.html",
        {
            "keys": list(ApiKey.objects.order_by("-created_at", "-pk")),
            "subscriptions": list(WebhookSubscription.objects.order_by("pk")),
            "deliveries": list(deliveries),
            "now": timezone.now(),
        },
    )


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def api_key_add(request: AgentRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires = data["expires_on"]
        new = call_service(
            form,
            lambda: api_key_create(
                municipality=request.municipality,
                name=data["name"],
                scopes=data["scopes"],
                actor=request.user,
                expires_at=(
                    timezone.make_aware(datetime.combine(expires, time.max)) if expires else None
                ),
                allowed_addresses=addresses_parse(data["allowed_addresses"]),
            ),
        )
        if new is not None:
            # Shown on this answer only: the key is stored hashed.
            return render(
                request,
                "backoffice/configuration/api_secret.html",
                {
                    "title": _("Clé API créée"),
                    "name": new.key.name,
                    "secret": new.text,
                    "hint": _(
                        "Copiez cette clé maintenant : elle ne sera plus jamais affichée. "
                        "Le logiciel l'envoie dans l'en-tête Authorization: Bearer <clé>."
                    ),
                    "labels": [SCOPE_LABELS.get(scope, scope) for scope in new.key.scopes],
                },
            )
    return render(
        request,
        "backoffice/configuration/form.html",
        {"form": form, "title": _("Nouvelle clé API")},
    )


@agent_required(Area.CONFIGURATION)
@require_POST
def api_key_remove(request: AgentRequest, pk: int) -> HttpResponse:
    key: ApiKey = get_object_or_404(ApiKey, pk=pk)
    if call_service(request, lambda: api_key_revoke(key=key, actor=request.user)) is not None:
        messages.success(request, _("La clé « %(name)s » est révoquée.") % {"name": key.name})
    return redirect("backoffice:api_access")


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def webhook_add(request: AgentRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscription = call_service(
            form,
            lambda: subscription_create(
                municipality=request.municipality,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                actor=request.user,
            ),
        )
        if subscription is not None:
            return render(
                request,
                "backoffice/configuration/api_secret.html",
                {
                    "title": _("Abonnement créé"),
                    "name": subscription.url,
                    "secret": subscription.secret,
                    "hint": _(
                        "Le secret de signature des événements (Standard Webhooks) : copiez-le "
                        "dans le logiciel qui les reçoit pour vérifier l'en-tête "
                        "webhook-signature."
                    ),
                    "labels": subscription.events,
                },
            )
    return render(
        request,
        "backoffice/configuration/form.html",
        {"form": form, "title": _("Nouvel abonnement aux événements")},
    )


@agent_required(Area.CONFIGURATION)
@require_POST
def webhook_remove(request: AgentRequest, pk: int) -> HttpResponse:
    subscription: WebhookSubscription = get_object_or_404(WebhookSubscription, pk=pk)
    subscription_delete(subscription=subscription, actor=request.user)
    messages.success(request, _("L'abonnement est supprimé."))
    return redirect("backoffice:api_access")


@agent_required(Area.CONFIGURATION)
@require_POST
def webhook_resume(request: AgentRequest, pk: int) -> HttpResponse:
    subscription: WebhookSubscription = get_object_or_404(WebhookSubscription, pk=pk)
    subscription_enable(subscription=subscription, actor=request.user)
    messages.success(request, _("L'abonnement est réactivé."))
    return redirect("backoffice:api_access")
