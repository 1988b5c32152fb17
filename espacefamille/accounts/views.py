"""Sign-in, sign-up and passwords: the account pages, which know no household. The family
pages (join code, activation wizard) are the portal's. Views parse, call one service and
render; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.choice_fields import MAX_ID

from .forms import LoginForm, NewPasswordChangeForm, ResetRequestForm, SignupForm
from .login_limits import account_failures_clear, signup_allowed
from .models import User
from .signup import user_signup, user_signup_confirm

BACKEND = "django.contrib.auth.backends.ModelBackend"


class LogoutView(auth_views.LogoutView):
    """Sign out, and tell the browser to drop what it kept of the family's pages (the
    installable portal's offline pages, the HTTP cache): nothing of the household stays on a
    shared phone after "Se déconnecter"."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not signup_allowed(request):
            form.add_error(
                None,
                _(
                    "Trop de comptes ont été demandés depuis votre connexion. "
                    "Réessayez dans une heure."
                ),
            )
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        user_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET"])
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html")


@require_http_methods(["GET"])
def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link of the confirmation e-mail: activates the login and signs it in."""
    try:
        user_id = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        user_id = 0
    user = User.objects.filter(pk=user_id).first() if 0 < user_id <= MAX_ID else None
    if user is None or user.is_active or not default_token_generator.check_token(user, token):
        return render(request, "accounts/signup_confirm_invalid.html", status=404)
    user_signup_confirm(user=user)
    login(request, user, backend=BACKEND)
    messages.success(
        request,
        _("Votre compte est créé. Saisissez maintenant le code d'adhésion reçu de votre commune."),
    )
    return redirect("portal:join")


# --- Passwords -----------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        form.save(request=self.request)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        if self.user is not None:
            account_failures_clear(self.user.get_username())  # a new password lifts the lock
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = NewPasswordChangeForm
    success_url = reverse_lazy("portal:household")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Votre mot de passe a été modifié."))
        return super().form_valid(form)
