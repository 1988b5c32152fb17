"""The agent's home: the screens their role opens in the current town."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..permissions import Area, agent_required


@agent_required(Area.HOME)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/home.html")
