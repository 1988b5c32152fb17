"""The town's dashboard ("tableau de bord"), for the administrator and the régie.

Its own page rather than the home: every agent lands on the home, a facilitator included, and
the home stays one cheap page; the dashboard's queries run only for those who open it."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from espacefamille.core.read_replica import replica_reads_view

from ..acting import AgentRequest
from ..dashboard import town_dashboard
from ..permissions import Area, agent_required


@agent_required(Area.DASHBOARD)
@replica_reads_view
def dashboard(request: AgentRequest) -> HttpResponse:
    figures = town_dashboard(
        municipality=request.municipality,
        today=timezone.localdate(),
    )
    return render(request, "backoffice/dashboard/index.html", {"dashboard": figures})
