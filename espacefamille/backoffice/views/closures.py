"""Closures: a date or a range, for every product or some, with the reason families see."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.catalog.models import Closure
from espacefamille.configuration.catalog import closure_delete, closure_save
from espacefamille.core.service_calls import call_service

from ..acting import AgentRequest
from ..forms.configuration import ClosureForm
from ..permissions import Area, agent_required


@agent_required(Area.CONFIGURATION)
def closure_list(request: AgentRequest) -> HttpResponse:
    closures = Closure.objects.prefetch_related("products").order_by("-start_date")
    return render(request, "backoffice/configuration/closures.html", {"closures": closures})


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def closure_edit(request: AgentRequest, pk: int | None = None) -> HttpResponse:
    closure = get_object_or_404(Closure, pk=pk) if pk is not None else None
    form = ClosureForm(request.POST or None, instance=closure)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: closure_save(
                municipality=request.municipality,
                closure=closure,
                data=form.cleaned_data,
                products=list(form.cleaned_data["products"]),
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("backoffice:closures")
    title = _("Modifier la fermeture") if closure else _("Ajouter une fermeture")
    return render(request, "backoffice/configuration/form.html", {"form": form, "title": title})


@agent_required(Area.CONFIGURATION)
@require_POST
def closure_remove(request: AgentRequest, pk: int) -> HttpResponse:
    closure: Closure = get_object_or_404(Closure, pk=pk)
    closure_delete(closure=closure, actor=request.user)
    messages.success(request, _("La fermeture est supprimée."))
    return redirect("backoffice:closures")
