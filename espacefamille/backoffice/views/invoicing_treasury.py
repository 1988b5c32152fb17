"""The treasury's side of invoicing: the "état d'encaissement" of a régie over a period, on
screen and as CSV or XLSX (``billing.treasury``), and the "remboursements à effectuer" owed
for cancelled prepaid bookings, marked as made with the treasury's reference."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from espacefamille.billing.treasury import statement_csv, statement_xlsx, treasury_statement
from espacefamille.core.downloads import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, download_response
from espacefamille.core.service_calls import refusal_of
from espacefamille.payments.models import RefundDue
from espacefamille.payments.refunds import (
    refund_mark_made,
    refunds_made,
    refunds_to_make,
)

from ..acting import AgentRequest
from ..forms.invoicing import RefundMadeForm, StatementForm
from ..permissions import Area, agent_required

REFUNDS_MADE_SHOWN = 50


@agent_required(Area.INVOICING)
@require_GET
def statement(request: AgentRequest) -> HttpResponse:
    form = StatementForm(request.GET or None)
    result = None
    valid = form.is_valid()
    if form.has_error("service", "invalid_choice"):
        raise Http404  # another town's régie, as for every id this town does not hold
    if valid:
        data = form.cleaned_data
        result = treasury_statement(service=data["service"], start=data["start"], end=data["end"])
        period = f"{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"
        name = f"etat-encaissement-{slugify(data['service'].name)}-{period}"
        download = request.GET.get("format")
        if download == "csv":
            return download_response(
                statement_csv(result).encode("utf-8-sig"),
                content_type=CSV_CONTENT_TYPE,
                filename=f"{name}.csv",
            )
        if download == "xlsx":
            return download_response(
                statement_xlsx(result), content_type=XLSX_CONTENT_TYPE, filename=f"{name}.xlsx"
            )
    return render(
        request,
        "backoffice/invoicing/statement.html",
        {"form": form, "statement": result, "query": request.GET.urlencode()},
    )


@agent_required(Area.INVOICING)
@require_GET
def refund_list(request: AgentRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/invoicing/refunds.html",
        {
            "to_make": list(refunds_to_make()),
            "made": list(refunds_made()[:REFUNDS_MADE_SHOWN]),
            "form": RefundMadeForm(),
        },
    )


@agent_required(Area.INVOICING)
@require_POST
def refund_made(request: AgentRequest, pk: int) -> HttpResponse:
    refund: RefundDue = get_object_or_404(RefundDue.objects.select_related("household"), pk=pk)
    form = RefundMadeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la référence du remboursement (mandat, virement…)."))
        return redirect("backoffice:invoicing_refunds")
    refused = refusal_of(
        request,
        lambda: refund_mark_made(
            refund=refund,
            reference=form.cleaned_data["reference"],
            user=request.user,
        ),
    )
    if refused is None:
        messages.success(
            request,
            _("Le remboursement de %(household)s est marqué comme effectué.")
            % {"household": refund.household.name},
        )
    return redirect("backoffice:invoicing_refunds")
