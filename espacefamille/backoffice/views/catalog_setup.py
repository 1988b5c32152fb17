"""Services and their products with every rule: weekdays, school periods and holidays,
deadlines in plain French, capacity, incompatibility group, flat rate. A rule change that
concerns bookings already made shows how many before it is saved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.catalog.models import Product, Service
from espacefamille.configuration.catalog import product_rule_impact, product_save, service_save
from espacefamille.core.bounds import parse_id
from espacefamille.core.service_calls import call_service

from ..acting import AgentRequest
from ..forms.configuration import ProductForm, ServiceForm
from ..forms.deadlines import DeadlineForm
from ..permissions import Area, agent_required

DEADLINES = [("booking", "booking_deadline"), ("cancellation", "cancellation_deadline")]


@agent_required(Area.CONFIGURATION)
def service_list(request: AgentRequest) -> HttpResponse:
    services = Service.objects.prefetch_related("products")
    return render(request, "backoffice/configuration/services.html", {"services": services})


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def service_edit(request: AgentRequest, pk: int | None = None) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk) if pk is not None else None
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: service_save(
                municipality=request.municipality,
                service=service,
                data=form.cleaned_data,
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("backoffice:services")
    title = _("Modifier le service") if service else _("Ajouter un service")
    return render(request, "backoffice/configuration/form.html", {"form": form, "title": title})


def _confirmed(request: HttpRequest) -> int | None:
    return parse_id(request.POST.get("confirmed_impact"))


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def product_edit(request: AgentRequest, service_id: int, pk: int | None = None) -> HttpResponse:
    service: Service = get_object_or_404(Service, pk=service_id)
    product = get_object_or_404(Product, pk=pk, service=service) if pk is not None else None
    data = request.POST or None
    form = ProductForm(data, instance=product)
    deadline_forms = {
        prefix: DeadlineForm(
            data,
            prefix=prefix,
            initial=DeadlineForm.initial_for(
                getattr(product, field) if product else "days:2@10:00"
            ),
        )
        for prefix, field in DEADLINES
    }
    context: dict[str, Any] = {
        "form": form,
        "deadline_forms": deadline_forms,
        "service": service,
        "product": product,
    }
    valid = [form.is_valid()] + [deadline.is_valid() for deadline in deadline_forms.values()]
    if request.method == "POST" and all(valid):
        values = dict(form.cleaned_data)
        for prefix, field in DEADLINES:
            values[field] = deadline_forms[prefix].code
        stored = Product.objects.get(pk=product.pk) if product else None
        impact = product_rule_impact(product=stored, data=values) if stored else 0
        if impact and _confirmed(request) != impact:
            context["impact"] = impact
        elif (
            call_service(
                form,
                lambda: product_save(
                    service=service,
                    product=stored,
                    data=values,
                    actor=request.user,
                    confirmed_impact=impact or None,
                ),
            )
            is not None
        ):
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("backoffice:services")
    context["rules"] = {
        prefix: deadline.rule.describe() if deadline.is_bound and deadline.is_valid() else ""
        for prefix, deadline in deadline_forms.items()
    }
    return render(request, "backoffice/configuration/product.html", context)
