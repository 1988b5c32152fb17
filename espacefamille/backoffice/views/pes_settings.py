"""Administrators fill the treasury settings once: the town's budget identity in Hélios and,
per régie, the imputation of its titles (a product may have its own)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.catalog.models import Product, Service
from espacefamille.core.service_calls import call_service
from espacefamille.pes.configuration import pes_settings_save, product_imputation_clear
from espacefamille.pes.models import ProductImputation, RegieImputation, TreasurySettings

from ..acting import AgentRequest
from ..forms.pes import (
    PRODUCT_FIELDS,
    REGIE_FIELDS,
    TREASURY_FIELDS,
    ProductImputationForm,
    RegieImputationForm,
    TreasurySettingsForm,
)
from ..permissions import Area, agent_required


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def treasury_settings_edit(request: AgentRequest) -> HttpResponse:
    town = request.municipality
    instance = TreasurySettings.objects.first() or TreasurySettings(municipality=town)
    form = TreasurySettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: pes_settings_save(
                instance=instance,
                data=form.cleaned_data,
                fields=TREASURY_FIELDS,
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Les paramètres de la trésorerie sont enregistrés."))
            return redirect("backoffice:invoicing_pes")
    services = list(Service.objects.order_by("position", "name"))
    configured = set(RegieImputation.objects.values_list("service_id", flat=True))
    return render(
        request,
        "backoffice/invoicing/pes_settings.html",
        {"form": form, "services": services, "configured": configured},
    )


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def regie_imputation_edit(request: AgentRequest, service_id: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    instance = RegieImputation.objects.filter(service=service).first() or RegieImputation(
        municipality=service.municipality, service=service
    )
    products = list(Product.objects.filter(service=service).order_by("position", "name"))
    rows = {row.product_id: row for row in ProductImputation.objects.filter(product__in=products)}
    data = request.POST or None
    form = RegieImputationForm(data, instance=instance)
    product_forms = [
        (product, ProductImputationForm(data, prefix=f"p{product.pk}", row=rows.get(product.pk)))
        for product in products
    ]
    if (
        request.method == "POST"
        and form.is_valid()
        and all(f.is_valid() for _p, f in product_forms)
    ):
        with transaction.atomic():
            saved = call_service(
                form,
                lambda: pes_settings_save(
                    instance=instance,
                    data=form.cleaned_data,
                    fields=REGIE_FIELDS,
                    actor=request.user,
                ),
            )
            for product, product_form in product_forms:
                if saved is None:
                    break
                row = rows.get(product.pk) or ProductImputation(
                    municipality=service.municipality, product=product
                )
                if not product_form.cleaned_data.get("nature"):
                    product_imputation_clear(instance=row, actor=request.user)
                    continue
                if (
                    call_service(
                        product_form,
                        partial(
                            pes_settings_save,
                            instance=row,
                            data=product_form.cleaned_data,
                            fields=PRODUCT_FIELDS,
                            actor=request.user,
                        ),
                    )
                    is None
                ):
                    saved = None
            if saved is None:
                transaction.set_rollback(True)
        if saved is not None:
            messages.success(
                request,
                _("L'imputation de la régie %(service)s est enregistrée.")
                % {"service": service.name},
            )
            return redirect("backoffice:invoicing_pes_settings")
    return render(
        request,
        "backoffice/invoicing/pes_regie.html",
        {"form": form, "service": service, "product_forms": product_forms},
    )
