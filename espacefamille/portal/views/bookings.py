""""Mes réservations": week view, cart, period booking, enrolments, calendar feed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..decorators import household_required


@household_required
def agenda(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/bookings/agenda.html", {})
