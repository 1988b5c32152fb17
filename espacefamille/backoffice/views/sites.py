"""The town's list of sites under Configuration: list, add, rename, deactivate. Administrators
only; another town's site answers 404 (the query is scoped to the agent's town)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.catalog.models import Site
from espacefamille.catalog.sites import site_save
from espacefamille.core.service_calls import call_service

from ..acting import AgentRequest
from ..forms.configuration import SiteForm
from ..permissions import Area, agent_required


@agent_required(Area.CONFIGURATION)
def site_list(request: AgentRequest) -> HttpResponse:
    return render(
        request, "backoffice/configuration/sites.html", {"sites": list(Site.objects.all())}
    )


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def site_edit(request: AgentRequest, pk: int | None = None) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk) if pk is not None else None
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: site_save(
                municipality=request.municipality,
                site=site,
                data=form.cleaned_data,
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("backoffice:sites")
    title = _("Modifier le site") if site else _("Ajouter un site")
    return render(request, "backoffice/configuration/form.html", {"form": form, "title": title})
