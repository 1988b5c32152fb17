"""Bookings and cancellations waiting for approval, accepted or refused one by one or in bulk
with a reason the family receives by e-mail (``booking_decide`` sends it and logs it)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from espacefamille.bookings.errors import BookingError
from espacefamille.bookings.overview import pending_requests
from espacefamille.core.choice_fields import posted_id
from espacefamille.payments.cancellations import booking_decide

from ..acting import AgentRequest
from ..permissions import Area, agent_required


@agent_required(Area.BOOKINGS)
def request_list(request: AgentRequest) -> HttpResponse:
    return render(
        request, "backoffice/bookings/requests.html", {"requests": list(pending_requests())}
    )


@agent_required(Area.BOOKINGS)
@require_POST
def request_decide(request: AgentRequest) -> HttpResponse:
    """Every ticked request (or the one whose button was pressed) gets the same decision and
    reason; each goes through ``booking_decide`` on its own, so one that was decided meanwhile
    does not stop the others."""
    accept = request.POST.get("decision") == "accept"
    reason = request.POST.get("reason", "").strip()[:200]
    ids = [posted_id(value) for value in request.POST.getlist("booking") if posted_id(value)]
    if not accept and not reason:
        messages.error(request, _("Indiquez le motif du refus : la famille le reçoit."))
        return redirect("backoffice:booking_requests")
    decided = 0
    base_url = request.build_absolute_uri("/")
    for booking in pending_requests().filter(pk__in=ids):
        try:
            booking_decide(
                booking=booking,
                accept=accept,
                actor=request.user,
                reason=reason,
                base_url=base_url,
            )
        except BookingError as error:
            messages.error(request, f"{booking} : {error.message}")
        else:
            decided += 1
    if decided:
        messages.success(
            request,
            ngettext(
                "%(count)d décision enregistrée.", "%(count)d décisions enregistrées.", decided
            )
            % {"count": decided},
        )
    elif not ids:
        messages.error(request, _("Cochez au moins une réservation ou annulation."))
    return redirect("backoffice:booking_requests")
