""" "Règlement et tarifs", reachable from "Mes réservations": one page per service of the
current town (another town's service is a 404, as any object out of the request's scope)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from espacefamille.catalog.models import Service

from ..acting import PortalRequest
from ..decorators import household_required
from ..service_rules import rules_services, service_rules


@household_required
def service_rules_first(request: PortalRequest) -> HttpResponse:
    """The tab's link: the first service's page (or the page saying there is none)."""
    household = request.household
    services = rules_services(municipality_id=household.municipality_id)
    if services:
        return redirect("portal:service_rules", service_id=services[0].pk)
    return render(request, "portal/bookings/service_rules.html", {"tab": "rules"})


@household_required
def service_rules_page(request: PortalRequest, service_id: int) -> HttpResponse:
    household = request.household
    service = get_object_or_404(Service, pk=service_id, municipality_id=household.municipality_id)
    context = {
        "service": service,
        "services": rules_services(municipality_id=household.municipality_id),
        "rows": service_rules(service=service),
        "tab": "rules",
    }
    return render(request, "portal/bookings/service_rules.html", context)
