"""Configuration home, the town's identity (contacts, school-holiday zone) and the diet
list. Administrators only (facilitators and régie agents get 403)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.configuration.town_look import town_look_update
from espacefamille.core.models import Municipality
from espacefamille.core.palette import DEFAULT_MAIN_COLOUR
from espacefamille.core.service_calls import call_service
from espacefamille.households.diets import diet_save
from espacefamille.households.models import Diet
from espacefamille.households.setup import municipality_update

from ..acting import AgentRequest
from ..forms.configuration import DietForm, MunicipalityForm, TownLookForm
from ..permissions import Area, agent_required


@agent_required(Area.CONFIGURATION)
def configuration(request: AgentRequest) -> HttpResponse:
    return render(request, "backoffice/configuration/index.html")


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def town(request: AgentRequest) -> HttpResponse:
    municipality: Municipality = request.municipality
    form = MunicipalityForm(
        request.POST or None, instance=Municipality.objects.get(pk=municipality.pk)
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: municipality_update(
                municipality=municipality, data=form.cleaned_data, actor=request.user
            ),
        )
        if saved is not None:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("backoffice:configuration")
    return render(
        request,
        "backoffice/configuration/form.html",
        {"form": form, "title": _("La commune : identité, contacts, zone de vacances")},
    )


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def town_look(request: AgentRequest) -> HttpResponse:
    municipality = Municipality.objects.get(pk=request.municipality.pk)
    form = TownLookForm(
        request.POST or None,
        request.FILES or None,
        initial={"main_colour": municipality.main_colour or DEFAULT_MAIN_COLOUR},
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: town_look_update(
                municipality=municipality,
                main_colour=form.cleaned_data["main_colour"],
                logo=form.cleaned_data["logo"] or None,
                remove_logo=form.cleaned_data["remove_logo"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("L'apparence du portail est enregistrée."))
            return redirect("backoffice:configuration")
    return render(
        request,
        "backoffice/configuration/town_look.html",
        {"form": form, "municipality": municipality},
    )


@agent_required(Area.CONFIGURATION)
def diet_list(request: AgentRequest) -> HttpResponse:
    return render(
        request, "backoffice/configuration/diets.html", {"diets": list(Diet.objects.all())}
    )


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def diet_edit(request: AgentRequest, pk: int | None = None) -> HttpResponse:
    diet = get_object_or_404(Diet, pk=pk) if pk is not None else None
    form = DietForm(request.POST or None, instance=diet)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: diet_save(
                municipality=request.municipality,
                diet=diet,
                data=form.cleaned_data,
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("backoffice:diets")
    title = _("Modifier le régime") if diet else _("Ajouter un régime")
    return render(request, "backoffice/configuration/form.html", {"form": form, "title": title})
