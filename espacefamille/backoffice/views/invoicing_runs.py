"""Monthly invoicing runs on the agents' side: the list with "Lancer une facturation", a run's
page with its progress bar (the state is on the run: it survives a reload, and HTMX polls the
bar while the task computes), the review before finalizing (totals, anomalies, one invoice per
family, paginated) and "Finaliser". Rules and numbering stay in ``billing``."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from espacefamille.billing.closed_days import month_is_over
from espacefamille.billing.models import Invoice, InvoiceRun, RunState
from espacefamille.billing.run_tasks import (
    invoice_run_start,
    run_is_in_progress,
)
from espacefamille.billing.runs import invoice_run_finalize, invoice_run_review
from espacefamille.core.errors import DomainError
from espacefamille.core.money import format_euros
from espacefamille.core.service_calls import call_service

from ..acting import AgentRequest
from ..forms.invoicing import RunStartForm
from ..permissions import Area, agent_required

RUNS_SHOWN = 36
INVOICES_PER_PAGE = 50
ANOMALIES_SHOWN = 200


def _runs() -> list[InvoiceRun]:
    return list(
        InvoiceRun.objects.select_related("service").order_by("-month", "service__name")[
            :RUNS_SHOWN
        ]
    )


@agent_required(Area.INVOICING)
@require_http_methods(["GET", "POST"])
def run_list(request: AgentRequest) -> HttpResponse:
    form = RunStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = call_service(
            form,
            lambda: invoice_run_start(
                service=data["service"],
                month=data["month"],
                final=data["mode"] == "final",
                user=request.user,
            ),
        )
        if run is not None:
            messages.success(
                request, _("La facturation de %(run)s est lancée.") % {"run": str(run)}
            )
            return redirect("backoffice:invoicing_run", pk=run.pk)
    return render(request, "backoffice/invoicing/runs.html", {"form": form, "runs": _runs()})


def _progress_context(run: InvoiceRun) -> dict[str, object]:
    total = run.household_count
    done = min(run.households_done, total) if total else run.households_done
    return {
        "run": run,
        "in_progress": run_is_in_progress(run),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else (100 if run.drafted_at else 0),
        "month_over": month_is_over(run.month, today=timezone.localdate()),
    }


def finalize_summary(run: InvoiceRun) -> str:
    """What "Finaliser" will do, in the agent's words."""
    return ngettext(
        "%(count)d facture sera numérotée et envoyée, total %(total)s.",
        "%(count)d factures seront numérotées et envoyées, total %(total)s.",
        run.invoice_count,
    ) % {"count": run.invoice_count, "total": format_euros(run.total)}


@agent_required(Area.INVOICING)
@require_GET
def run_detail(request: AgentRequest, pk: int) -> HttpResponse:
    run: InvoiceRun = get_object_or_404(InvoiceRun.objects.select_related("service"), pk=pk)
    context = _progress_context(run)
    if run.state != RunState.RUNNING:
        review = invoice_run_review(run=run)
        invoices = (
            Invoice.objects.filter(run=run)
            .select_related("household")
            .order_by("household__name", "household_id", "pk")
        )
        page = Paginator(invoices, INVOICES_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            {
                "review": review,
                "anomalies": list(review["anomalies"][:ANOMALIES_SHOWN]),
                "anomalies_limit": ANOMALIES_SHOWN,
                "page": page,
            }
        )
    return render(request, "backoffice/invoicing/run.html", context)


@agent_required(Area.INVOICING)
@require_GET
def run_progress(request: AgentRequest, pk: int) -> HttpResponse:
    """The bar alone, polled by HTMX while the run computes; once it is over the whole page
    reloads to show the review."""
    run: InvoiceRun = get_object_or_404(InvoiceRun.objects.select_related("service"), pk=pk)
    context = _progress_context(run)
    response = render(request, "backoffice/invoicing/_progress.html", context)
    if getattr(request, "htmx", False) and not context["in_progress"]:
        response["HX-Refresh"] = "true"
    return response


@agent_required(Area.INVOICING)
@require_http_methods(["GET", "POST"])
def run_finalize(request: AgentRequest, pk: int) -> HttpResponse:
    """A confirmation page that says what will happen; only its own button finalizes (a
    POST without ``confirm`` shows the page again)."""
    run: InvoiceRun = get_object_or_404(InvoiceRun.objects.select_related("service"), pk=pk)
    confirmed = request.method == "POST" and request.POST.get("confirm") == "1"
    if not confirmed:
        if run.state != RunState.DRAFT:
            return redirect("backoffice:invoicing_run", pk=run.pk)
        context = {
            "run": run,
            "summary": finalize_summary(run),
            "month_over": month_is_over(run.month, today=timezone.localdate()),
        }
        return render(request, "backoffice/invoicing/finalize.html", context)
    try:
        final = invoice_run_finalize(run=run, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "La facturation est définitive : %(count)d facture numérotée et envoyée.",
                "La facturation est définitive : %(count)d factures numérotées et envoyées.",
                final.invoice_count,
            )
            % {"count": final.invoice_count},
        )
    return redirect("backoffice:invoicing_run", pk=run.pk)
