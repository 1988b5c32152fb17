""" "Adhésion aux collectivités": a signed-in login enters the join code its town sent and is
linked to that town's household file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.service_calls import call_service
from espacefamille.core.tenancy import SESSION_KEY
from espacefamille.onboarding.join_codes import join_code_redeem

from ..forms import JoinCodeForm


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """ "Adhésion aux collectivités": link this login to a household file with a join code."""
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        joined = call_service(
            form,
            lambda: join_code_redeem(
                user=request.user,  # type: ignore[arg-type]  # login_required
                code=form.cleaned_data["code"],
                ip_address=client_ip(request),
            ),
        )
        if joined is not None and joined.child is not None:
            request.session[SESSION_KEY] = joined.guardian.municipality_id
            messages.success(
                request,
                _(
                    "%(child)s fait désormais partie de votre foyer : réservez ses jours dans "
                    "« Mes réservations »."
                )
                % {"child": joined.child.first_name},
            )
            return redirect("portal:agenda")
        if joined is not None:
            guardian = joined.guardian
            request.session[SESSION_KEY] = guardian.municipality_id
            messages.success(
                request,
                _("Votre compte est rattaché au foyer %(household)s de %(town)s.")
                % {"household": guardian.household.name, "town": guardian.municipality.name},
            )
            return redirect("portal:home")
    return render(
        request,
        "portal/join.html",
        {
            "form": form,
            "memberships": getattr(request, "memberships", []),
            "locked_memberships": getattr(request, "locked_memberships", []),
        },
    )
