"""The back office's quotient pages: a household's quotient (``quotient.household_page``) and
the town's API Particulier settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.service_calls import call_service
from espacefamille.households.models import Household
from espacefamille.quotient.forms import QuotientSettingsForm
from espacefamille.quotient.household_page import quotient_page
from espacefamille.quotient.models import EntryChannel, QuotientSettings
from espacefamille.quotient.town_settings import quotient_settings_save, settings_of

from ..acting import AgentRequest
from ..permissions import Area, agent_required


@agent_required(Area.HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def household_quotient(request: AgentRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    return quotient_page(request, request.user, household, agent=True, channel=EntryChannel.AGENT)


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def quotient_settings(request: AgentRequest) -> HttpResponse:
    municipality = request.municipality
    config: QuotientSettings | None = settings_of(municipality)
    form = QuotientSettingsForm(request.POST or None, config=config)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: quotient_settings_save(
                municipality=municipality,
                token=form.cleaned_data["token"] or "",
                recipient=form.cleaned_data["recipient"] or "",
                is_enabled=form.cleaned_data["is_enabled"],
                refresh_pause=form.cleaned_data["refresh_pause"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Les réglages d'API Particulier sont enregistrés."))
            return redirect("backoffice:quotient_settings")
    return render(request, "quotient/settings.html", {"form": form, "config": config})
