"""The activation wizard behind an invitation link: 1 Votre compte → 2 Responsables →
3 Enfants → "S'enregistrer". The steps are kept in the session; the account is created by the
service at the last step only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.accounts.forms import ActivationPasswordForm
from espacefamille.core.errors import DomainError
from espacefamille.core.tenancy import SESSION_KEY, municipality_scope
from espacefamille.households.models import Child, Guardian
from espacefamille.onboarding.invitations import account_activate, invitation_find

from ..forms import ActivationGuardianForm

BACKEND = "django.contrib.auth.backends.ModelBackend"

WIZARD_KEY = "activation"


def _wizard_state(request: HttpRequest, token: str) -> dict[str, Any]:
    state = request.session.get(WIZARD_KEY)
    if not state or state.get("token") != token:
        state = {"token": token}
        request.session[WIZARD_KEY] = state
    return state


def _invalid(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The one answer of the wizard to a refusal: the link's page says why (410 Gone)."""
    return render(request, "portal/activation/invalid.html", {"error": error.message}, status=410)


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_find(token)
    except DomainError as error:
        return _invalid(request, error)
    state = _wizard_state(request, token)
    form = ActivationPasswordForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        state["password_hash"] = make_password(form.cleaned_data["password1"])
        request.session.modified = True
        return redirect("portal:activate_guardians", token=token)
    return render(
        request,
        "portal/activation/account.html",
        {"form": form, "invitation": invitation, "step": 1, "token": token},
    )


@require_http_methods(["GET", "POST"])
def activate_guardians(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_find(token)
    except DomainError as error:
        return _invalid(request, error)
    state = _wizard_state(request, token)
    if "password_hash" not in state:
        return redirect("portal:activate", token=token)
    with municipality_scope(invitation.municipality_id):
        guardian = Guardian.objects.get(pk=invitation.guardian_id)
        others = list(
            Guardian.objects.filter(household_id=invitation.household_id).exclude(pk=guardian.pk)
        )
        form = ActivationGuardianForm(request.POST or None, instance=guardian)
        if request.method == "POST" and form.is_valid():
            state["guardian"] = {
                "civility": form.cleaned_data["civility"],
                "last_name": form.cleaned_data["last_name"],
                "first_name": form.cleaned_data["first_name"],
                "mobile_phone": str(form.cleaned_data["mobile_phone"] or ""),
            }
            request.session.modified = True
            return redirect("portal:activate_children", token=token)
        return render(
            request,
            "portal/activation/guardians.html",
            {"form": form, "others": others, "invitation": invitation, "step": 2, "token": token},
        )


@require_http_methods(["GET", "POST"])
def activate_children(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_find(token)
    except DomainError as error:
        return _invalid(request, error)
    state = _wizard_state(request, token)
    if "guardian" not in state:
        return redirect("portal:activate_guardians", token=token)
    if request.method == "POST":
        try:
            user = account_activate(
                token=token,
                password_hash=state["password_hash"],
                guardian_data=state["guardian"],
                base_url=request.build_absolute_uri("/"),
            )
        except DomainError as error:
            return _invalid(request, error)
        request.session.pop(WIZARD_KEY, None)
        login(request, user, backend=BACKEND)
        request.session[SESSION_KEY] = invitation.municipality_id
        messages.success(request, _("Votre compte espace famille a bien été créé."))
        return redirect("portal:home")
    with municipality_scope(invitation.municipality_id):
        children = list(Child.objects.filter(household_id=invitation.household_id))
    return render(
        request,
        "portal/activation/children.html",
        {"children": children, "invitation": invitation, "step": 3, "token": token},
    )


@require_POST
def activate_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """ "Annuler la création de compte": forget the steps typed so far (nothing was created;
    the invitation link stays valid until it expires)."""
    request.session.pop(WIZARD_KEY, None)
    messages.info(
        request,
        _(
            "La création de votre compte est annulée ; rien n'a été enregistré. Le lien "
            "d'invitation reste valable jusqu'à sa date d'expiration."
        ),
    )
    return redirect("accounts:login")
