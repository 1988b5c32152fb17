"""Signing in to Django's admin (``/admin/``): e-mail, password and the same second factor as
the agents' back office — a code of the authenticator app or a recovery code, checked by
``two_factor.second_factor_verify`` with its delays and its lock. The admin site
(``core.admin_site``) then lets in only a superuser whose session passed it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import AccountError
from .models import User
from .two_factor import has_device, second_factor_verify


class AdminSignInForm(AdminAuthenticationForm):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=20,
        help_text=_("Les 6 chiffres de l'application d'authentification, ou un code de secours."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)  # active staff
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()  # the password first: nothing is said of the code before
        user = self.get_user()
        code = cleaned_data.get("code")
        if user is None or not code:
            return cleaned_data
        if not has_device(user=user):
            raise ValidationError(
                _(
                    "Ce compte n'a pas d'application d'authentification : l'administration lui "
                    "est fermée."
                ),
                code="no_device",
            )
        try:
            device = second_factor_verify(user=user, code=code)
        except AccountError as error:
            raise ValidationError(error.message, code="second_factor") from error
        verified: User = user
        verified.otp_device = device  # type: ignore[attr-defined]  # django-otp persists it
        return cleaned_data
