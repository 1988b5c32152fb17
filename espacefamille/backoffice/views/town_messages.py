"""Messages to families: write, see how many families and messages per channel, send."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.service_calls import call_service
from espacefamille.notifications.models import Channel, Delivery, DeliveryStatus, TownMessage
from espacefamille.notifications.town_messages import message_audience, message_send

from ..acting import AgentRequest
from ..forms.town_messages import TownMessageForm
from ..permissions import Area, agent_required


@agent_required(Area.NEWS)
def message_list(request: AgentRequest) -> HttpResponse:
    sent = list(TownMessage.objects.order_by("-created_at")[:50])
    counts: dict[int, dict[str, int]] = {}
    for message_id, status in Delivery.objects.filter(
        message_id__in=[m.pk for m in sent]
    ).values_list("message_id", "status"):
        counts.setdefault(message_id, {}).setdefault(status, 0)
        counts[message_id][status] += 1
    rows = [
        (m, [(DeliveryStatus(k).label, n) for k, n in sorted(counts.get(m.pk, {}).items())])
        for m in sent
    ]
    return render(request, "backoffice/messages/list.html", {"rows": rows})


@agent_required(Area.NEWS)
@require_http_methods(["GET", "POST"])
def message_new(request: AgentRequest) -> HttpResponse:
    form = TownMessageForm(request.POST or None)
    count = None
    if request.method == "POST" and form.is_valid():
        audience, target = form.cleaned_data["audience"], form.target()
        if "envoyer" in request.POST:
            sent = call_service(
                form,
                lambda: message_send(
                    municipality=request.municipality,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    link=form.cleaned_data["link"],
                    audience=audience,
                    target=target,
                    actor=request.user,
                    send_at=form.cleaned_data["send_at"],
                ),
            )
            if sent is not None:
                messages.success(
                    request,
                    _("Le message est programmé.") if form.is_later() else _("Le message part."),
                )
                return redirect("backoffice:town_messages")
        else:
            count = call_service(form, lambda: message_audience(audience=audience, target=target))
    channels = dict(Channel.choices)
    per_channel = (
        [(channels[ch], n) for ch, n in count.per_channel.items()] if count is not None else []
    )
    return render(
        request,
        "backoffice/messages/new.html",
        {"form": form, "count": count, "per_channel": per_channel},
    )
