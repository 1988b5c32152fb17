"""Agents sign in at ``/agents/``: password first (django-axes counts failures), then a TOTP or
recovery code; only then is the session opened, for 30 minutes idle at most."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.accounts.models import User
from espacefamille.accounts.two_factor import has_device, second_factor_verify
from espacefamille.configuration.agents import agent_roles_of
from espacefamille.core.service_calls import call_service

from ..acting import TOWN_KEY, agent_session_start
from ..forms.sign_in import AgentPasswordForm, SecondFactorForm

PENDING_USER_KEY = "agent_pending_user"
PENDING_AT_KEY = "agent_pending_at"
PENDING_SECONDS = 5 * 60
BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if getattr(request, "agent_role", None) is not None:
        return redirect("backoffice:home")
    form = AgentPasswordForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if agent_roles_of(user=user) and has_device(user=user):
            request.session[PENDING_USER_KEY] = user.pk
            request.session[PENDING_AT_KEY] = time.time()
            return redirect("backoffice:sign_in_code")
        form.add_error(None, _("Ce compte n'a pas d'accès agent actif."))
    return render(request, "backoffice/sign_in.html", {"form": form})


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER_KEY)
    started = request.session.get(PENDING_AT_KEY, 0)
    if user_id is None or time.time() - started > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Saisissez d'abord votre identifiant et votre mot de passe."))
        return redirect("backoffice:sign_in")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = call_service(
            form, lambda: second_factor_verify(user=user, code=form.cleaned_data["code"])
        )
        if device is not None:
            user.otp_device = device  # type: ignore[attr-defined]  # django-otp persists it
            login(request, user, backend=BACKEND)
            request.session.pop(PENDING_USER_KEY, None)
            request.session.pop(PENDING_AT_KEY, None)
            agent_session_start(request)
            return redirect("backoffice:home")
    return render(request, "backoffice/sign_in_code.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("Vous êtes déconnecté."))
    return redirect("backoffice:sign_in")


@require_POST
def switch_town(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("municipality", "")
    for role in getattr(request, "agent_roles", []):
        if str(role.municipality_id) == wanted:
            request.session[TOWN_KEY] = role.municipality_id
            messages.success(
                request,
                _("Vous travaillez maintenant pour %(town)s.") % {"town": role.municipality},
            )
            break
    return redirect("backoffice:home")
