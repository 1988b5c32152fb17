"""Configuration of online payment (administrators): the provider of each régie or the town's
default one, and what a prepaid cancellation yields per régie. Rules and the action log live in
``payments.provider_settings``; these views only read forms and call it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.catalog.models import BillingMode, Service
from espacefamille.core.service_calls import call_service
from espacefamille.payments.models import CancellationOutcome, CancellationRule, ProviderConfig
from espacefamille.payments.provider_settings import (
    BACKENDS,
    cancellation_rule_save,
    provider_save,
)

from ..acting import AgentRequest
from ..forms.payment_settings import CancellationRuleForm, ProviderForm
from ..permissions import Area, agent_required


@agent_required(Area.CONFIGURATION)
def provider_list(request: AgentRequest) -> HttpResponse:
    configs = list(ProviderConfig.objects.select_related("service").order_by("service__name"))
    rows = [(config, BACKENDS.get(config.backend, config.backend)) for config in configs]
    return render(request, "backoffice/configuration/payment_providers.html", {"rows": rows})


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def provider_edit(request: AgentRequest, pk: int | None = None) -> HttpResponse:
    config = get_object_or_404(ProviderConfig, pk=pk) if pk is not None else None
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = ProviderForm(data, config=config)
    if request.method == "POST" and "change_backend" not in request.POST and form.is_valid():
        saved = call_service(
            form,
            lambda: provider_save(
                municipality=request.municipality,
                config=config,
                service=form.cleaned_data["service"],
                backend=form.cleaned_data["backend"],
                options=form.options(),
                is_active=form.cleaned_data["is_active"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Le prestataire de paiement est enregistré."))
            return redirect("backoffice:payment_providers")
    title = _("Modifier le prestataire de paiement") if config else _("Ajouter un prestataire")
    return render(
        request,
        "backoffice/configuration/payment_provider_form.html",
        {"form": form, "title": title, "config": config},
    )


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def cancellation_rules(request: AgentRequest) -> HttpResponse:
    services = list(
        Service.objects.filter(billing_mode=BillingMode.PREPAID).order_by("position", "name")
    )
    if request.method == "POST":
        form = CancellationRuleForm(request.POST)
        service = None
        if form.is_valid():
            service = next((s for s in services if s.pk == form.cleaned_data["service"]), None)
        if service is None:
            messages.error(request, _("Choisissez une régie prépayée de la liste."))
        else:
            done = call_service(
                form,
                lambda: cancellation_rule_save(
                    municipality=request.municipality,
                    service=service,
                    outcome=form.cleaned_data["outcome"],
                    actor=request.user,
                ),
            )
            if done is not None:
                messages.success(request, _("La règle d'annulation est enregistrée."))
            else:
                messages.error(request, _("La règle n'a pas été enregistrée."))
        return redirect("backoffice:cancellation_rules")
    rules = {rule.service_id: rule.outcome for rule in CancellationRule.objects.all()}
    rows = [
        (
            service,
            CancellationRuleForm(
                initial={
                    "service": service.pk,
                    "outcome": rules.get(service.pk, CancellationOutcome.NOTHING),
                },
                auto_id=f"id_regie{service.pk}_%s",
            ),
        )
        for service in services
    ]
    return render(request, "backoffice/configuration/cancellation_rules.html", {"rows": rows})
