"""The family's quotient page in "Gestion du foyer" (``quotient.household_page``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from espacefamille.quotient.household_page import quotient_page
from espacefamille.quotient.models import EntryChannel

from ..acting import PortalRequest
from ..decorators import household_required


@household_required
@require_http_methods(["GET", "POST"])
def family_quotient(request: PortalRequest) -> HttpResponse:
    return quotient_page(
        request, request.user, request.household, agent=False, channel=EntryChannel.FAMILY
    )
