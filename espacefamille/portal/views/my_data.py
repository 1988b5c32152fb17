""" "Gestion du foyer" → "Mes données": the family downloads everything its town holds on its
household file (espacefamille.privacy.data_export). POST, so a link followed by a robot or
prefetched by a browser never writes an export to the action log."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from espacefamille.privacy.data_export import SECTIONS, household_export

from ..acting import PortalRequest
from ..decorators import household_required


@household_required
@require_http_methods(["GET", "POST"])
def my_data(request: PortalRequest) -> HttpResponse:
    household = request.household
    if request.method == "POST":
        archive = household_export(household, actor=request.user)
        name = f"mes-donnees-{slugify(household.name) or 'foyer'}-{timezone.localdate()}.zip"
        response = FileResponse(
            archive, as_attachment=True, filename=name, content_type="application/zip"
        )
        return cast(HttpResponse, response)  # a streamed response, as the decorator passes on
    return render(
        request, "portal/household/my_data.html", {"sections": SECTIONS, "tab": "my_data"}
    )
