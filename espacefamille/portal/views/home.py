from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import SESSION_KEY
from espacefamille.core.uploads import attachment_response
from espacefamille.news.selectors import news_for_services
from espacefamille.notifications.errors import NotificationError
from espacefamille.notifications.message_documents import household_message_document
from espacefamille.notifications.town_messages import household_messages

from ..acting import PortalRequest
from ..decorators import household_required
from ..home_summary import home_summary


@household_required
def home(request: PortalRequest) -> HttpResponse:
    """The family home answers "what's next" (``home_summary``), then the current posts
    ("Actualités", seed 004 §B)."""
    summary = home_summary(household=request.household)
    posts = news_for_services(service_ids=summary.service_ids)
    return render(
        request,
        "portal/home.html",
        {
            "summary": summary,
            "posts": list(posts[:3]),
            "town_messages": household_messages(request.household, limit=3),
        },
    )


@household_required
def town_messages(request: PortalRequest) -> HttpResponse:
    """ "Messages": what the town sent this family (never who else received it)."""
    return render(
        request,
        "portal/town_messages.html",
        {"town_messages": household_messages(request.household)},
    )


@household_required
def town_message_document(request: PortalRequest, pk: int) -> HttpResponse:
    """The document of a message this family received; any other message: 404."""
    try:
        document = household_message_document(household=request.household, message_id=pk)
    except NotificationError as error:
        raise Http404(error.message) from error
    return attachment_response(
        stored=document.file, content_type=document.content_type, stem=f"document-message-{pk}"
    )


def contacts(request: HttpRequest) -> HttpResponse:
    """ "Contacts" (seed 002 §5): the current town; before sign-in, every town."""
    current = getattr(request, "municipality", None)
    towns = [current] if current else list(Municipality.objects.all())
    return render(request, "portal/contacts.html", {"towns": towns})


@login_required
@require_POST
def switch_municipality(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("municipality", "")
    for membership in getattr(request, "memberships", []):
        if str(membership.municipality.pk) == wanted:
            request.session[SESSION_KEY] = membership.municipality.pk
            messages.success(
                request,
                _("Vous êtes maintenant sur l'espace de %(town)s.")
                % {"town": membership.municipality.name},
            )
            break
    else:
        messages.error(request, _("Votre compte n'est rattaché à aucun foyer de cette commune."))
    return redirect("portal:home")
