"""Administrators browse and filter the town's action log."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from espacefamille.audit.selectors import action_log_search

from ..acting import AgentRequest
from ..forms.action_log import ActionLogFilterForm
from ..permissions import Area, agent_required

PAGE_SIZE = 50


@agent_required(Area.ACTION_LOG)
def action_log(request: AgentRequest) -> HttpResponse:
    form = ActionLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = action_log_search(
        action=filters.get("action", ""),
        actor_email=filters.get("actor", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/action_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
