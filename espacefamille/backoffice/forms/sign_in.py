"""The agents' two-step sign-in: e-mail and password, then the authenticator's code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.accounts.forms import LoginForm


class AgentPasswordForm(LoginForm):
    """The family login form's fields and messages; the view checks the agent role after."""


class SecondFactorForm(forms.Form):
    required_css_class = "required"
    code = forms.CharField(
        label=_("Code de l'application d'authentification"),
        max_length=20,
        help_text=_("Les 6 chiffres affichés par l'application, ou un code de secours."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )
