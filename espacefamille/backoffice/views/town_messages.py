"""Messages to families: write, see how many families and messages per channel, send."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.service_calls import call_service
from espacefamille.core.uploads import attachment_response
from espacefamille.notifications.message_documents import (
    message_document_upload,
    pending_document,
)
from espacefamille.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    TownMessage,
    TownMessageDocument,
)
from espacefamille.notifications.town_messages import (
    AudienceCount,
    message_audience,
    message_send,
)

from ..acting import AgentRequest
from ..forms.town_messages import TownMessageForm
from ..permissions import Area, agent_required


@agent_required(Area.NEWS)
def message_list(request: AgentRequest) -> HttpResponse:
    sent = list(TownMessage.objects.select_related("document").order_by("-created_at")[:50])
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


def _count(
    request: AgentRequest, form: TownMessageForm
) -> tuple[AudienceCount | None, TownMessageDocument | None]:
    """ "Compter": the recipients, then (only when they are found) the file chosen now, checked
    and kept, its id carried by the form to "Envoyer" (a browser never keeps a chosen file).
    A refusal at either step writes nothing and shows its message on the form."""
    data = form.cleaned_data
    kept = pending_document(document_id=data.get("pending_document") or "", actor=request.user)
    count = call_service(
        form, lambda: message_audience(audience=data["audience"], target=form.target())
    )
    upload = data.get("document")
    if count is None or not count.households or not upload:
        return count, kept
    stored = call_service(
        form,
        lambda: message_document_upload(
            municipality=request.municipality, upload=upload, actor=request.user
        ),
    )
    if stored is None:
        return None, kept
    posted = request.POST.copy()
    posted["pending_document"] = str(stored.pk)
    form.data = posted
    return count, stored


@agent_required(Area.NEWS)
@require_http_methods(["GET", "POST"])
def message_new(request: AgentRequest) -> HttpResponse:
    form = TownMessageForm(request.POST or None, request.FILES or None)
    count: AudienceCount | None = None
    document: TownMessageDocument | None = None
    if request.method == "POST" and form.is_valid() and "envoyer" in request.POST:
        data = form.cleaned_data
        document = pending_document(
            document_id=data.get("pending_document") or "", actor=request.user
        )
        sent = call_service(
            form,
            lambda: message_send(
                municipality=request.municipality,
                subject=data["subject"],
                body=data["body"],
                link=data["link"],
                audience=data["audience"],
                target=form.target(),
                actor=request.user,
                send_at=data["send_at"],
                document=document,
                upload=data.get("document"),
            ),
        )
        if sent is not None:
            messages.success(
                request,
                _("Le message est programmé.") if form.is_later() else _("Le message part."),
            )
            return redirect("backoffice:town_messages")
    elif request.method == "POST" and form.is_valid():
        count, document = _count(request, form)
    channels = dict(Channel.choices)
    per_channel = (
        [(channels[ch], n) for ch, n in count.per_channel.items()] if count is not None else []
    )
    return render(
        request,
        "backoffice/messages/new.html",
        {"form": form, "count": count, "per_channel": per_channel, "document": document},
    )


@agent_required(Area.NEWS)
def message_document_download(request: AgentRequest, pk: int) -> HttpResponse:
    """The document of a message of this town (the agents check what the families got)."""
    document = get_object_or_404(TownMessageDocument, message_id=pk)
    return attachment_response(
        stored=document.file, content_type=document.content_type, stem=f"document-message-{pk}"
    )
