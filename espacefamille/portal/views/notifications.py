""" "Gestion du foyer" → "Notifications": per kind (closures and messages from the town, booking
confirmations, reminders, invoices and payments, replies to requests) and per channel (e-mail,
SMS, this browser), what the family receives."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.notifications.models import Channel, Kind
from espacefamille.notifications.preferences import preference_table, preferences_save
from espacefamille.notifications.push_subscriptions import push_available

from ..acting import PortalRequest
from ..decorators import household_required


@household_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: PortalRequest) -> HttpResponse:
    household = request.household
    if request.method == "POST":
        chosen = {
            (kind, channel)
            for kind in Kind.values
            for channel in Channel.values
            if request.POST.get(f"{kind}-{channel}") == "1"
        }
        preferences_save(household=household, chosen=chosen, actor=request.user)
        messages.success(request, _("Vos choix de notifications sont enregistrés."))
        return redirect("portal:notification_settings")
    table = preference_table(household)
    rows = [
        (
            kind,
            label,
            [
                (channel, channel_label, table[kind][channel])
                for channel, channel_label in Channel.choices
            ],
        )
        for kind, label in Kind.choices
    ]
    return render(
        request,
        "portal/household/notifications.html",
        {
            "rows": rows,
            "tab": "notifications",
            "push_key": settings.WEBPUSH_VAPID_PUBLIC_KEY if push_available() else "",
        },
    )
