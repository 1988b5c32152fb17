"""Reported absences in the back office: an agent accepts or refuses a certificate (from the
attendance sheet or the list of certificates waiting), downloads it, and an administrator sets
the town's rule (justified on report, or only with an accepted certificate)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.attendance.absence_selectors import town_pending_reports
from espacefamille.attendance.absences import (
    absence_report_decide,
    absence_settings_save,
    justification_rule,
)
from espacefamille.attendance.errors import AbsenceError
from espacefamille.attendance.models import AbsenceReport, JustificationRule
from espacefamille.core.errors import NOT_FOUND
from espacefamille.core.service_calls import call_service
from espacefamille.core.uploads import attachment_response

from ..acting import AgentRequest
from ..permissions import Area, agent_required
from .attendance import agent_sites


class AbsenceSettingsForm(forms.Form):
    justification = forms.ChoiceField(
        label=gettext_lazy("Une absence signalée par la famille est"),
        choices=JustificationRule.choices,
        widget=forms.RadioSelect,
    )


@agent_required(Area.ATTENDANCE)
def absence_pending(request: AgentRequest) -> HttpResponse:
    return render(
        request, "backoffice/attendance/absences.html", {"reports": town_pending_reports()}
    )


@agent_required(Area.ATTENDANCE)
@require_POST
def absence_decide(request: AgentRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(AbsenceReport, pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        decision = absence_report_decide(
            report=report, accept=accept, actor=request.user, sites=agent_sites(request)
        )
    except AbsenceError as error:
        if error.status == NOT_FOUND:
            raise Http404 from None
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(child)s : %(outcome)s. La famille est prévenue par e-mail.")
            % {"child": decision.report.child, "outcome": decision.report.get_outcome_display()},
        )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("backoffice:absences")


@agent_required(Area.ATTENDANCE)
def absence_certificate(request: AgentRequest, pk: int) -> HttpResponse:
    report: AbsenceReport = get_object_or_404(AbsenceReport.objects.exclude(certificate=""), pk=pk)
    return attachment_response(
        stored=report.certificate, content_type=report.content_type, stem=f"certificat-{report.pk}"
    )


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def absence_settings(request: AgentRequest) -> HttpResponse:
    current = justification_rule(municipality_id=request.municipality.pk)
    form = AbsenceSettingsForm(request.POST or None, initial={"justification": current})
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: absence_settings_save(
                municipality_id=request.municipality.pk,
                justification=form.cleaned_data["justification"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("La règle des absences signalées est enregistrée."))
            return redirect("backoffice:absence_settings")
    return render(request, "backoffice/attendance/absence_settings.html", {"form": form})
