"""Configuration › SMS (administrators): the town's sender name, provider and key, and the SMS
sent month by month with their cost. Rules and the action log live in
``notifications.sms_settings``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.service_calls import call_service
from espacefamille.notifications.sms_settings import (
    sms_settings_of,
    sms_settings_save,
    sms_usage_by_month,
)

from ..acting import AgentRequest
from ..forms.sms_settings import SmsSettingsForm
from ..permissions import Area, agent_required


@agent_required(Area.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def sms_settings(request: AgentRequest) -> HttpResponse:
    municipality = request.municipality
    config = sms_settings_of(municipality)
    form = SmsSettingsForm(request.POST or None, config=config)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: sms_settings_save(
                municipality=municipality,
                provider=form.cleaned_data["provider"],
                sender=form.cleaned_data["sender"],
                api_key=form.cleaned_data["api_key"] or "",
                max_length=form.cleaned_data["max_length"],
                unit_cost=form.cleaned_data["unit_cost"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Les réglages des SMS sont enregistrés."))
            return redirect("backoffice:sms_settings")
    usage = sms_usage_by_month(municipality, today=timezone.localdate())
    return render(
        request,
        "backoffice/configuration/sms_settings.html",
        {"form": form, "config": config, "usage": usage},
    )
