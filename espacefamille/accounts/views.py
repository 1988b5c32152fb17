"""Sign-in, sign-up, join codes and the activation wizard. Views parse, call one service and
render; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.tenancy import SESSION_KEY, municipality_scope
from espacefamille.households.models import Child, Guardian

from .forms import (
    ActivationGuardianForm,
    ActivationPasswordForm,
    JoinCodeForm,
    LoginForm,
    ResetRequestForm,
    SignupForm,
)
from .invitations import InvitationError, account_activate, invitation_find
from .join_codes import JoinCodeError, join_code_redeem
from .signup import user_signup

BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        login(request, user, backend=BACKEND)
        messages.success(
            request,
            _(
                "Votre compte est créé. Saisissez maintenant le code "
                "d'adhésion reçu de votre commune."
            ),
        )
        return redirect("accounts:join")
    return render(request, "accounts/signup.html", {"form": form})


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """ "Adhésion aux collectivités": link this login to a household file with a join code."""
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guardian = join_code_redeem(
                user=request.user,  # type: ignore[arg-type]  # login_required
                code=form.cleaned_data["code"],
                ip_address=client_ip(request),
            )
        except JoinCodeError as error:
            form.add_error("code", str(error))
        else:
            request.session[SESSION_KEY] = guardian.municipality_id
            messages.success(
                request,
                _("Votre compte est rattaché au foyer %(household)s de %(town)s.")
                % {"household": guardian.household.name, "town": guardian.municipality.name},
            )
            return redirect("portal:home")
    return render(
        request,
        "accounts/join.html",
        {"form": form, "memberships": getattr(request, "memberships", [])},
    )


# --- Activation wizard: 1 Votre compte → 2 Responsables → 3 Enfants → "S'enregistrer" ------

WIZARD_KEY = "activation"


def _wizard_state(request: HttpRequest, token: str) -> dict[str, Any]:
    state = request.session.get(WIZARD_KEY)
    if not state or state.get("token") != token:
        state = {"token": token}
        request.session[WIZARD_KEY] = state
    return state


def _invalid(request: HttpRequest, error: InvitationError) -> HttpResponse:
    return render(request, "accounts/activation_invalid.html", {"error": str(error)}, status=410)


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_find(token)
    except InvitationError as error:
        return _invalid(request, error)
    state = _wizard_state(request, token)
    form = ActivationPasswordForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        state["password_hash"] = make_password(form.cleaned_data["password1"])
        request.session.modified = True
        return redirect("accounts:activate_guardians", token=token)
    return render(
        request,
        "accounts/activation_account.html",
        {"form": form, "invitation": invitation, "step": 1, "token": token},
    )


@require_http_methods(["GET", "POST"])
def activate_guardians(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_find(token)
    except InvitationError as error:
        return _invalid(request, error)
    state = _wizard_state(request, token)
    if "password_hash" not in state:
        return redirect("accounts:activate", token=token)
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
            return redirect("accounts:activate_children", token=token)
        return render(
            request,
            "accounts/activation_guardians.html",
            {"form": form, "others": others, "invitation": invitation, "step": 2, "token": token},
        )


@require_http_methods(["GET", "POST"])
def activate_children(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_find(token)
    except InvitationError as error:
        return _invalid(request, error)
    state = _wizard_state(request, token)
    if "guardian" not in state:
        return redirect("accounts:activate_guardians", token=token)
    if request.method == "POST":
        try:
            user = account_activate(
                token=token,
                password_hash=state["password_hash"],
                guardian_data=state["guardian"],
                base_url=request.build_absolute_uri("/"),
            )
        except InvitationError as error:
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
        "accounts/activation_children.html",
        {"children": children, "invitation": invitation, "step": 3, "token": token},
    )


# --- Passwords -----------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:household")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Votre mot de passe a été modifié."))
        return super().form_valid(form)
