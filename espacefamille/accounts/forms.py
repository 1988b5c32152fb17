from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from espacefamille.core.validators import validate_person_name

from .emails import account_email_queue
from .models import User, normalize_email


class LoginForm(AuthenticationForm):
    required_css_class = "required"
    username = forms.EmailField(
        label=_("Identifiant (adresse e-mail)"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
    }

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])


class NewPasswordMixin(forms.Form):
    """Password and confirmation, checked against the project's password rules."""

    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmez votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self) -> User | None:
        return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif p1:
            try:
                password_validation.validate_password(p1, self.password_user())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignupForm(NewPasswordMixin):
    required_css_class = "required"
    field_order = ["last_name", "first_name", "email", "password1", "password2"]
    last_name = forms.CharField(label=_("Nom"), max_length=150, validators=[validate_person_name])
    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, validators=[validate_person_name]
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Ce sera votre identifiant de connexion, conservez-le bien."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        # Whether the address has an account is never said here (accounts.signup).
        return normalize_email(self.cleaned_data["email"])

    def password_user(self) -> User:
        return User(
            email=self.data.get("email", ""),
            first_name=self.data.get("first_name", ""),
            last_name=self.data.get("last_name", ""),
        )


class ActivationPasswordForm(NewPasswordMixin):
    required_css_class = "required"

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def password_user(self) -> User:
        return User(email=self.email)


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        """Queue the e-mail (a task, on commit) instead of sending it within the request."""
        base_url = request.build_absolute_uri("/").rstrip("/") if request else settings.SITE_URL
        for user in self.get_users(self.cleaned_data["email"]):
            account_email_queue(user=user, kind="password_reset", base_url=base_url)


class NewPasswordChangeForm(PasswordChangeForm):
    """Changing the password means choosing another one than the current."""

    def clean_new_password1(self) -> str:
        new = self.cleaned_data["new_password1"]
        if new and self.user.check_password(new):
            raise forms.ValidationError(
                _("Le nouveau mot de passe doit être différent de l'actuel."),
                code="password_unchanged",
            )
        return new
