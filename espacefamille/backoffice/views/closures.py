"""Closures: a date or a range, for every product or some, with the reason families see."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.catalog.models import Closure
from espacefamille.configuration.catalog import closure_delete, closure_save
from espacefamille.core.service_calls import call_service
from espacefamille.counter.closing import closure_declare, closure_preview, closure_reopen

from ..acting import AgentRequest
from ..forms.closures import ExceptionalClosureForm
from ..forms.configuration import ClosureForm
from ..permissions import Area, agent_required


@agent_required(Area.CONFIGURATION)
def closure_list(request: AgentRequest) -> HttpResponse:
    closures = Closure.objects.prefetch_related("products", "sites").order_by("-start_date")
    return render(request, "backoffice/configuration/closures.html", {"closures": closures})


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def closure_edit(request: AgentRequest, pk: int | None = None) -> HttpResponse:
    closure = get_object_or_404(Closure, pk=pk, kind="") if pk is not None else None
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
    closure: Closure = get_object_or_404(Closure, pk=pk, kind="")
    closure_delete(closure=closure, actor=request.user)
    messages.success(request, _("La fermeture est supprimée."))
    return redirect("backoffice:closures")


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def closure_exceptional(request: AgentRequest) -> HttpResponse:
    """Declare a closure at short notice: the form, then its preview ("N réservation(s) de M
    famille(s) seront annulées…"), then, once confirmed, the closure itself."""
    form = ExceptionalClosureForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        town = request.municipality
        if "confirmer" in request.POST:
            declared = call_service(
                form,
                lambda: closure_declare(
                    municipality=town,
                    request=form.closure_request(),
                    actor=request.user,
                    base_url=request.build_absolute_uri("/"),
                ),
            )
            if declared is not None:
                messages.success(
                    request,
                    ngettext(
                        "Fermeture enregistrée : %(n)s réservation annulée",
                        "Fermeture enregistrée : %(n)s réservations annulées",
                        declared.cancelled,
                    )
                    % {"n": declared.cancelled}
                    + ngettext(
                        " (%(m)s famille) ; les familles sont prévenues.",
                        " (%(m)s familles) ; les familles sont prévenues.",
                        declared.households,
                    )
                    % {"m": declared.households},
                )
                return redirect("backoffice:closures")
        else:
            preview = call_service(
                form, lambda: closure_preview(municipality=town, request=form.closure_request())
            )
    return render(
        request,
        "backoffice/configuration/closure_exceptional.html",
        {"form": form, "preview": preview},
    )


@agent_required(Area.CONFIGURATION)
@require_POST
def closure_reopen_view(request: AgentRequest, pk: int) -> HttpResponse:
    closure: Closure = get_object_or_404(Closure, pk=pk, kind__gt="")
    closure_reopen(closure=closure, actor=request.user)
    messages.success(
        request,
        _(
            "Les jours sont de nouveau réservables. Aucune réservation annulée n'est "
            "rétablie : les familles réservent à nouveau si elles le souhaitent."
        ),
    )
    return redirect("backoffice:closures")
