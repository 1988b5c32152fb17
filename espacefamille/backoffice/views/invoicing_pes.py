"""Facturation → "Titres de recettes (PES)": export a régie's final month to the treasury as
a PES V2 file, the history of files sent (download, cancel), the treasury's acknowledgements
and the log of these actions; the settings (administrators) on their own page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from espacefamille.audit.models import ActionLogEntry
from espacefamille.catalog.models import Service
from espacefamille.core.downloads import download_response
from espacefamille.pes.export import PesExportError, pes_export, pes_file_path
from espacefamille.pes.history import PesHistoryError, pes_acquit_import, pes_file_cancel
from espacefamille.pes.models import PesFile, PesFileState
from espacefamille.pes.selectors import (
    exportable_months,
    pes_files,
    pes_regies,
    treasury_settings,
)

from ..forms.pes import AcquitForm, CancelForm, ExportForm
from ..permissions import Area, agent_required, role_allows

XML_CONTENT_TYPE = "application/xml"
FILES_SHOWN, LOG_SHOWN = 50, 20


def _batches() -> list[tuple[Service, date]]:
    return [
        (regie.service, month)
        for regie in pes_regies()
        for month in exportable_months(service=regie.service)
    ]


def _page(request: HttpRequest, **extra: Any) -> HttpResponse:
    batches = _batches()
    context = {
        "settings": treasury_settings(),
        "regies": pes_regies(),
        "files": list(pes_files()[:FILES_SHOWN]),
        "log": list(
            ActionLogEntry.objects.filter(action__startswith="pes_")
            .select_related("actor")
            .order_by("-at", "-pk")[:LOG_SHOWN]
        ),
        "export_form": ExportForm(batches=batches),
        "acquit_form": AcquitForm(),
        "can_configure": role_allows(getattr(request, "agent_role", None), Area.CONFIGURATION),
        "errors": [],
        **extra,
    }
    return render(request, "backoffice/invoicing/pes.html", context)


@agent_required(Area.INVOICING)
@require_GET
def pes_home(request: HttpRequest) -> HttpResponse:
    return _page(request)


@agent_required(Area.INVOICING)
@require_POST
def pes_create(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST, batches=_batches())
    if not form.is_valid():
        return _page(request, export_form=form)
    service_id, month_text = form.cleaned_data["batch"].split(":")
    service = get_object_or_404(Service, pk=int(service_id))
    year, month = (int(part) for part in month_text.split("-"))
    try:
        export = pes_export(service=service, month=date(year, month, 1), user=request.user)
    except PesExportError as error:
        messages.error(request, str(error))
        return _page(request, export_form=form, errors=error.errors)
    messages.success(
        request,
        _("Bordereau %(number)s transmis : %(count)s titres.")
        % {"number": export.pes_file.bordereau, "count": export.pes_file.invoice_count},
    )
    return redirect("backoffice:invoicing_pes")


@agent_required(Area.INVOICING)
@require_GET
def pes_download(request: HttpRequest, pk: int) -> HttpResponse:
    pes_file = get_object_or_404(PesFile, pk=pk)
    path = pes_file_path(pes_file)
    if not path.is_file():
        raise Http404
    return download_response(
        path.read_bytes(), content_type=XML_CONTENT_TYPE, filename=pes_file.file_name
    )


@agent_required(Area.INVOICING)
@require_POST
def pes_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    pes_file = get_object_or_404(PesFile, pk=pk, state=PesFileState.SENT)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif de l'annulation."))
        return redirect("backoffice:invoicing_pes")
    try:
        pes_file_cancel(pes_file=pes_file, user=request.user, reason=form.cleaned_data["reason"])
    except PesHistoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Le bordereau %(number)s est annulé : ses factures peuvent être "
                "transmises à nouveau."
            )
            % {"number": pes_file.bordereau},
        )
    return redirect("backoffice:invoicing_pes")


@agent_required(Area.INVOICING)
@require_POST
def pes_acquit(request: HttpRequest) -> HttpResponse:
    form = AcquitForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, acquit_form=form)
    try:
        outcomes = pes_acquit_import(
            town=request.municipality,  # type: ignore[attr-defined]
            content=form.cleaned_data["acquit"].read(),
            user=request.user,
        )
    except PesHistoryError as error:
        messages.error(request, str(error))
        return _page(request, acquit_form=form, errors=error.errors)
    for outcome in outcomes:
        if outcome.pes_file is None:
            messages.warning(
                request,
                _("Bordereau %(number)s/%(year)s : inconnu ici.")
                % {"number": outcome.bordereau, "year": outcome.exer},
            )
        elif outcome.accepted:
            messages.success(
                request,
                _("Bordereau %(number)s/%(year)s accepté par la trésorerie.")
                % {"number": outcome.bordereau, "year": outcome.exer},
            )
        else:
            messages.error(
                request,
                _("Bordereau %(number)s/%(year)s rejeté : %(reason)s")
                % {
                    "number": outcome.bordereau,
                    "year": outcome.exer,
                    "reason": outcome.reason or _("motif non précisé"),
                },
            )
    return redirect("backoffice:invoicing_pes")
