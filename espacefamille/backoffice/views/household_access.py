"""A family's access to its file: join code, activation link (sent or sent again), lock and
unlock. Each is one POST calling one service, which logs it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from espacefamille.core.choice_fields import posted_id
from espacefamille.core.service_calls import call_service
from espacefamille.households.access_locks import household_access_lock, household_access_unlock
from espacefamille.households.models import Guardian, Household
from espacefamille.onboarding.invitations import invitation_send
from espacefamille.onboarding.join_codes import join_code_issue

from ..acting import AgentRequest
from ..forms.households import AccessLockForm
from ..permissions import Area, agent_required


def _back(household: Household) -> HttpResponse:
    return redirect("backoffice:household", pk=household.pk)


@agent_required(Area.HOUSEHOLDS)
@require_POST
def join_code(request: AgentRequest, pk: int) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    code = join_code_issue(household=household, actor=request.user)
    messages.success(
        request,
        _("Code d'adhésion du foyer : %(code)s (valable jusqu'au %(date)s).")
        % {"code": code.code, "date": code.expires_at.strftime("%d/%m/%Y")},
    )
    return _back(household)


@agent_required(Area.HOUSEHOLDS)
@require_POST
def invitation(request: AgentRequest, pk: int) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    wanted = request.POST.get("guardian", "")
    guardians = Guardian.objects.filter(household=household, user__isnull=True).exclude(email="")
    chosen = posted_id(wanted)
    guardian = guardians.filter(pk=chosen).first() if chosen else guardians.first()
    if guardian is None:
        messages.error(
            request, _("Aucun responsable sans compte n'a d'adresse e-mail dans ce foyer.")
        )
        return _back(household)
    sent = call_service(
        request,
        lambda: invitation_send(
            guardian=guardian, base_url=request.build_absolute_uri("/"), actor=request.user
        ),
    )
    if sent is not None:
        messages.success(
            request,
            _("Lien d'activation envoyé à %(email)s.") % {"email": sent.invitation.email},
        )
    return _back(household)


@agent_required(Area.HOUSEHOLDS)
@require_POST
def access(request: AgentRequest, pk: int) -> HttpResponse:
    household: Household = get_object_or_404(Household, pk=pk)
    if request.POST.get("lock") == "1":
        form = AccessLockForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        ended = household_access_lock(household=household, actor=request.user, reason=reason)
        messages.success(
            request,
            ngettext(
                "L'accès de la famille est verrouillé (%(n)s session fermée).",
                "L'accès de la famille est verrouillé (%(n)s sessions fermées).",
                ended,
            )
            % {"n": ended},
        )
    else:
        household_access_unlock(household=household, actor=request.user)
        messages.success(request, _("L'accès de la famille est rétabli."))
    return _back(household)
