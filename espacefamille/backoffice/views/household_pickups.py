"""The persons authorised to pick a household's children up, added or removed by an agent on
the household's page, whatever the town's pickup rule (``households.pickups``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.core.service_calls import call_service
from espacefamille.households.models import AuthorizedPickup, Household
from espacefamille.households.pickups import pickup_add_by_town, pickup_remove_by_town

from ..acting import AgentRequest
from ..forms.households import PickupAgentForm
from ..permissions import Area, agent_required


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def pickup_add(request: AgentRequest, pk: int) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    form = PickupAgentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = call_service(
            form,
            lambda: pickup_add_by_town(
                household=household, data=form.cleaned_data, actor=request.user
            ),
        )
        if added is not None:
            messages.success(
                request,
                _("La personne %(name)s est ajoutée aux personnes autorisées.")
                % {"name": str(added)},
            )
            return redirect("backoffice:household", pk=household.pk)
    return render(
        request,
        "backoffice/households/person_form.html",
        {
            "form": form,
            "household": household,
            "title": _("Ajouter une personne autorisée à récupérer les enfants"),
        },
    )


@agent_required(Area.HOUSEHOLDS)
@require_POST
def pickup_remove(request: AgentRequest, pk: int, pickup_id: int) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    pickup = get_object_or_404(AuthorizedPickup, pk=pickup_id, household=household)
    call_service(request, lambda: pickup_remove_by_town(pickup=pickup, actor=request.user))
    messages.success(
        request,
        _("La personne %(name)s est retirée des personnes autorisées à récupérer les enfants.")
        % {"name": str(pickup)},
    )
    return redirect("backoffice:household", pk=household.pk)
