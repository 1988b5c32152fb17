""" "Mes inscriptions" and each child's private calendar address (iCal)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from espacefamille.bookings.feeds import calendar_feed_ics, calendar_feed_renew, household_feeds
from espacefamille.bookings.selectors import household_enrollments, household_refusals
from espacefamille.core.bounds import MAX_ID
from espacefamille.households.sharing import household_children

from ..acting import PortalRequest
from ..decorators import household_required
from ..enrollment_years import enrollment_years


@household_required
def enrollments(request: PortalRequest) -> HttpResponse:
    household = request.household
    feeds = household_feeds(household=household)
    refusals = household_refusals(household=household)
    rows = []
    for child, items in household_enrollments(household=household):
        feed = feeds.get(child.pk)
        url = (
            request.build_absolute_uri(reverse("portal:calendar_feed", args=[feed.token]))
            if feed
            else ""
        )
        years = enrollment_years(items, timezone.localdate())
        rows.append((child, years, feed, url, refusals.get(child.pk, [])))
    return render(request, "portal/bookings/enrollments.html", {"rows": rows, "tab": "enrollments"})


@household_required
@require_POST
def calendar_feed_new(request: PortalRequest, child_id: int) -> HttpResponse:
    """Create the child's calendar address, or replace it ("Renouveler le lien")."""
    if child_id > MAX_ID:
        raise Http404
    child = get_object_or_404(household_children(request.household), pk=child_id)
    renewing = child.pk in household_feeds(household=request.household)
    calendar_feed_renew(child=child, household=request.household)
    if renewing:
        messages.success(
            request,
            _("Le lien de l'agenda de %(name)s a été renouvelé : l'ancien ne fonctionne plus.")
            % {"name": child.first_name},
        )
    else:
        messages.success(
            request, _("Le lien de l'agenda de %(name)s est créé.") % {"name": child.first_name}
        )
    return redirect(f"{reverse('portal:enrollments')}#agenda-{child.pk}")


@require_GET
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no login, the token is the key; an unknown token is a 404."""
    ics = calendar_feed_ics(token=token)
    if ics is None:
        raise Http404
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="reservations.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
