"""Direct debit in the back office: a régie's pain.008 batches (make one for a date, download
it, record a returned debit) under Facturation, and a household's mandates (record a paper
mandate, revoke). Each page calls one ``directdebit`` service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.catalog.models import Service
from espacefamille.core.downloads import download_response
from espacefamille.directdebit.batches import batch_filename, debit_batch_create
from espacefamille.directdebit.models import Debit, DebitBatch, DirectDebitSettings, Mandate
from espacefamille.directdebit.regie_settings import regie_settings_save
from espacefamille.directdebit.rejections import debit_reject
from espacefamille.directdebit.selectors import household_mandates
from espacefamille.directdebit.services import DirectDebitError, mandate_create, mandate_revoke
from espacefamille.households.models import Household

from ..forms.direct_debit import BatchForm, PaperMandateForm, RegieSettingsForm, RejectForm
from ..permissions import Area, agent_required

BATCHES_SHOWN = 50


@agent_required(Area.INVOICING)
@require_http_methods(["GET", "POST"])
def batch_list(request: HttpRequest) -> HttpResponse:
    form = BatchForm(request.POST or None)
    if request.method == "POST":
        if form.has_error("service", "invalid_choice"):
            raise Http404
        if form.is_valid():
            try:
                batch = debit_batch_create(
                    service=form.cleaned_data["service"],
                    collection_date=form.cleaned_data["collection_date"],
                    user=request.user,  # type: ignore[arg-type]
                )
            except DirectDebitError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Lot de %(count)s prélèvement créé.",
                        "Lot de %(count)s prélèvements créé.",
                        batch.debit_count,
                    )
                    % {"count": batch.debit_count},
                )
                return redirect("backoffice:debit_batch", pk=batch.pk)
    batches = DebitBatch.objects.select_related("service", "created_by")[:BATCHES_SHOWN]
    return render(
        request,
        "backoffice/directdebit/batches.html",
        {"form": form, "batches": list(batches)},
    )


@agent_required(Area.INVOICING)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch: DebitBatch = get_object_or_404(DebitBatch.objects.select_related("service"), pk=pk)
    debits = batch.debits.select_related("invoice__household", "mandate").order_by("pk")
    return render(
        request,
        "backoffice/directdebit/batch.html",
        {"batch": batch, "debits": list(debits), "reject_form": RejectForm()},
    )


@agent_required(Area.INVOICING)
def batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(DebitBatch, pk=pk)
    return download_response(
        batch.xml.encode("utf-8"), content_type="application/xml", filename=batch_filename(batch)
    )


@agent_required(Area.INVOICING)
@require_POST
def debit_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    debit = get_object_or_404(Debit, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le motif du rejet dans la liste."))
    else:
        try:
            debit_reject(debit=debit, reason_code=form.cleaned_data["reason"], user=request.user)  # type: ignore[arg-type]
        except DirectDebitError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Le rejet est enregistré : la facture est de nouveau à régler et la famille "
                    "est prévenue par e-mail."
                ),
            )
    return redirect("backoffice:debit_batch", pk=debit.batch_id)


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def mandates(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    form = PaperMandateForm(request.POST or None)
    if request.method == "POST":
        if form.has_error("service", "invalid_choice"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                mandate_create(
                    household=household,
                    service=data["service"],
                    holder=data["holder"],
                    iban=data["iban"],
                    bic=data["bic"],
                    channel="paper",
                    user=request.user,  # type: ignore[arg-type]
                    signed_on=data["signed_on"],
                    rum=data["rum"],
                )
            except DirectDebitError as error:
                form.add_error("iban" if error.reason == "iban_invalid" else None, error.message)
            else:
                messages.success(request, _("Le mandat papier est enregistré."))
                return redirect("backoffice:household_mandates", pk=household.pk)
    return render(
        request,
        "backoffice/directdebit/mandates.html",
        {"household": household, "mandates": household_mandates(household=household), "form": form},
    )


@agent_required(Area.HOUSEHOLDS)
@require_POST
def mandate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_object_or_404(Mandate, pk=pk)
    mandate_revoke(mandate=mandate, user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Le mandat est révoqué : plus aucun prélèvement ne sera émis."))
    return redirect("backoffice:household_mandates", pk=mandate.household_id)


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def regie_settings(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    config = DirectDebitSettings.objects.filter(service=service).first()
    initial = (
        {name: getattr(config, name) for name in RegieSettingsForm.base_fields}
        if config
        else {"is_enabled": True, "creditor_name": service.municipality.name, "notice_days": 5}
    )
    form = RegieSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            regie_settings_save(service=service, data=form.cleaned_data, user=request.user)
        except DirectDebitError as error:
            field = {"ics": "creditor_id", "creditor_iban": "creditor_iban"}.get(error.reason)
            form.add_error(field, error.message)
        else:
            messages.success(request, _("Les réglages du prélèvement sont enregistrés."))
            return redirect("backoffice:services")
    return render(
        request, "backoffice/directdebit/settings.html", {"form": form, "service": service}
    )
