"""Guardians and children of a household file, added or changed by an agent (through the
household services: the family sees the change in its history)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.service_calls import call_service
from espacefamille.households import household_files
from espacefamille.households.models import Child, Guardian, Household

from ..acting import AgentRequest
from ..forms.households import ChildAgentForm, GuardianAgentForm
from ..permissions import Area, agent_required


def _saved(request: HttpRequest, household: Household) -> HttpResponse:
    messages.success(request, _("Les modifications sont enregistrées."))
    return redirect("backoffice:household", pk=household.pk)


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def guardian_edit(request: AgentRequest, pk: int, guardian_id: int | None = None) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    guardian = None
    if guardian_id is not None:
        guardian = get_object_or_404(Guardian, pk=guardian_id, household=household)
    form = GuardianAgentForm(request.POST or None, instance=guardian)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: household_files.guardian_save(
                household=household, guardian=guardian, data=form.cleaned_data, actor=request.user
            ),
        )
        if saved is not None:
            return _saved(request, household)
    title = _("Modifier le responsable") if guardian else _("Ajouter un responsable")
    return render(
        request,
        "backoffice/households/person_form.html",
        {"form": form, "household": household, "title": title},
    )


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def child_edit(request: AgentRequest, pk: int, child_id: int | None = None) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    child = None
    if child_id is not None:
        child = get_object_or_404(Child, pk=child_id, household=household)
    if child is not None and request.method == "GET":  # the form shows the PAI
        household_files.health_data_read(household=household, actor=request.user, children=[child])
    form = ChildAgentForm(request.POST or None, instance=child)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: household_files.child_save(
                household=household, child=child, data=form.cleaned_data, actor=request.user
            ),
        )
        if saved is not None:
            return _saved(request, household)
    title = _("Modifier l'enfant") if child else _("Ajouter un enfant")
    return render(
        request,
        "backoffice/households/person_form.html",
        {"form": form, "household": household, "title": title},
    )
