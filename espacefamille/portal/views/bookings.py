""""Mes réservations": week view, cart, period booking, enrolments, calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from espacefamille.bookings.validation import cart_validate as validate_service

from ..decorators import household_required


@household_required
def agenda(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/bookings/agenda.html", {})


@household_required
@require_POST
def cart_validate(request: HttpRequest) -> HttpResponse:
    """"Valider". Success: 302 back to the week view with a confirmation message. Refusal:
    200, the page lists every refused line with its reason (e.g. "Complet : …") and nothing
    was written."""
    result = validate_service(household=request.household,  # type: ignore[attr-defined]
                              user=request.user)
    if result.ok:
        if result.nothing_to_do:
            messages.info(request, _("Aucune nouvelle réservation ou annulation."))
        else:
            messages.success(request, _("Réservations et annulations validées. Vous allez "
                                        "recevoir un e-mail de confirmation."))
        return redirect("portal:agenda")
    return render(request, "portal/bookings/agenda.html", {"refused": result.refused})
