""" "Signaler une absence": the family reports a child's absence (even after the cancellation
deadline, up to the morning itself) and reads what became of its reports."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from espacefamille.attendance.absence_selectors import household_absence_reports
from espacefamille.attendance.absences import (
    absence_report_create,
    first_reportable_day,
    justification_rule,
)
from espacefamille.attendance.models import AbsenceOutcome, AbsenceReport, JustificationRule
from espacefamille.core.bounds import parse_day, parse_id
from espacefamille.core.service_calls import call_service
from espacefamille.core.uploads import attachment_response

from ..absence_forms import AbsenceReportForm
from ..acting import PortalRequest
from ..decorators import household_required

OUTCOME_MESSAGES = {
    AbsenceOutcome.JUSTIFIED: _(
        "Absence signalée. Elle est justifiée : ces jours ne sont pas facturés, sauf les jours "
        "de carence du règlement."
    ),
    AbsenceOutcome.PENDING: _(
        "Absence signalée. La commune examine votre certificat médical ; vous recevrez sa "
        "réponse par e-mail et sur cette page."
    ),
    AbsenceOutcome.UNJUSTIFIED: _(
        "Absence signalée. Sans certificat médical, elle reste non justifiée : ces jours sont "
        "facturés selon le règlement."
    ),
}


def _initial(request: PortalRequest) -> dict[str, object]:
    """Pre-filled from the link of the home or of a booked cell (``?enfant=…&jour=…``)."""
    initial: dict[str, object] = {"reason": "illness"}
    child_id = parse_id(request.GET.get("enfant"))
    if child_id is not None:
        initial["child"] = child_id
    day = parse_day(request.GET.get("jour", "")[:10]) or first_reportable_day()
    initial["first_day"] = initial["last_day"] = max(day, first_reportable_day())
    return initial


@household_required
@require_http_methods(["GET", "POST"])
def absence_report(request: PortalRequest) -> HttpResponse:
    household = request.household
    form = AbsenceReportForm(
        request.POST or None,
        request.FILES or None,
        household=household,
        initial=_initial(request),
    )
    if request.method == "POST" and form.is_valid():
        report = call_service(
            form,
            lambda: absence_report_create(
                household=household,
                child=form.cleaned_data["child"],
                first_day=form.cleaned_data["first_day"],
                last_day=form.cleaned_data["last_day"],
                reason=form.cleaned_data["reason"],
                certificate=form.cleaned_data.get("certificate"),
                actor=request.user,
            ),
        )
        if report is not None:
            messages.success(request, str(OUTCOME_MESSAGES[AbsenceOutcome(report.outcome)]))
            return redirect("portal:absence_report")
    return render(
        request,
        "portal/absences/report.html",
        {
            "form": form,
            "reports": list(household_absence_reports(household=household)[:20]),
            "rule_on_report": justification_rule(municipality_id=household.municipality_id)
            == JustificationRule.ON_REPORT,
        },
    )


@household_required
def absence_certificate(request: PortalRequest, pk: int) -> HttpResponse:
    report: AbsenceReport = get_object_or_404(
        household_absence_reports(household=request.household).exclude(certificate=""), pk=pk
    )
    return attachment_response(
        stored=report.certificate, content_type=report.content_type, stem=f"certificat-{report.pk}"
    )
