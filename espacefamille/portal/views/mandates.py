""" "Prélèvement automatique" in "Gestion du foyer": the régies that offer direct debit, the
household's mandates (IBAN masked), sign one online with its text, change its account,
revoke it. Another household's mandate or a régie without direct debit answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.directdebit.models import DirectDebitSettings, Mandate, MandateStatus
from espacefamille.directdebit.selectors import household_mandates, regies_offering_debit
from espacefamille.directdebit.services import (
    DirectDebitError,
    mandate_amend,
    mandate_create,
    mandate_revoke,
    mandate_text,
)

from ..decorators import household_required
from ..mandate_forms import MandateAmendForm, MandateSignForm


@household_required
def mandates(request: HttpRequest) -> HttpResponse:
    household = request.household  # type: ignore[attr-defined]
    items = household_mandates(household=household)
    active = {m.service_id: m for m in items if m.status == MandateStatus.ACTIVE}
    regies = [(config, active.get(config.service_id)) for config in regies_offering_debit()]
    return render(
        request,
        "portal/household/mandates.html",
        {
            "regies": regies,
            "revoked": [m for m in items if m.status == MandateStatus.REVOKED],
            "tab": "mandates",
        },
    )


@household_required
@require_http_methods(["GET", "POST"])
def mandate_sign(request: HttpRequest, service_id: int) -> HttpResponse:
    household = request.household  # type: ignore[attr-defined]
    config = DirectDebitSettings.objects.filter(service_id=service_id, is_enabled=True).first()
    if config is None:
        raise Http404
    guardian = household.guardians.filter(user=request.user).first()
    initial = {"holder": f"{guardian.first_name} {guardian.last_name}"} if guardian else {}
    form = MandateSignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mandate_create(
                household=household,
                service=config.service,
                holder=data["holder"],
                iban=data["iban"],
                bic=data["bic"],
                channel="online",
                user=request.user,  # type: ignore[arg-type]
            )
        except DirectDebitError as error:
            field = {"iban_invalid": "iban", "holder_missing": "holder"}.get(error.reason)
            form.add_error(field, error.message)
        else:
            messages.success(
                request,
                _(
                    "Votre mandat est signé : les prochaines factures de %(service)s seront "
                    "prélevées."
                )
                % {"service": config.service.name},
            )
            return redirect("portal:mandates")
    return render(
        request,
        "portal/household/mandate_sign.html",
        {"form": form, "config": config, "text": mandate_text(config=config), "tab": "mandates"},
    )


def _own(request: HttpRequest, pk: int) -> Mandate:
    return get_object_or_404(
        Mandate.objects.select_related("service"),
        pk=pk,
        household=request.household,  # type: ignore[attr-defined]
        status=MandateStatus.ACTIVE,
    )


@household_required
@require_http_methods(["GET", "POST"])
def mandate_change(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = _own(request, pk)
    form = MandateAmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mandate_amend(
                mandate=mandate,
                user=request.user,  # type: ignore[arg-type]
                iban=data["iban"],
                bic=data["bic"],
                holder=data["holder"],
            )
        except DirectDebitError as error:
            form.add_error("iban" if error.reason == "iban_invalid" else None, error.message)
        else:
            messages.success(request, _("Le compte à prélever est modifié."))
            return redirect("portal:mandates")
    return render(
        request,
        "portal/household/mandate_change.html",
        {"form": form, "mandate": mandate, "tab": "mandates"},
    )


@household_required
@require_POST
def mandate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = _own(request, pk)
    mandate_revoke(mandate=mandate, user=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        _("Votre mandat est révoqué : les prochaines factures ne seront plus prélevées."),
    )
    return redirect("portal:mandates")
