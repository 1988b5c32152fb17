"""Administrators' forms for the town's agents (create, change the role and sites)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from espacefamille.accounts.models import AgentRoleKind, User, normalize_email


class SitesField(forms.CharField):
    """One site per line (the ``site`` of the enrolments a facilitator sees)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for site in value:
            if len(site) > 120:
                raise forms.ValidationError(_("Un nom de site compte 120 caractères au plus."))


class AgentRoleForm(forms.Form):
    """The role and, for a facilitator, the sites (the ``site`` of the town's enrolments)."""

    required_css_class = "required"
    role = forms.ChoiceField(
        label=_("Rôle"), choices=AgentRoleKind.choices, widget=forms.RadioSelect
    )
    sites = SitesField(
        label=_("Sites (animateurs)"),
        required=False,
        help_text=_("Un site par ligne, tel qu'il figure sur les inscriptions."),
    )

    def __init__(self, *args: Any, known_sites: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if known_sites:
            self.fields["sites"].help_text = _(
                "Un site par ligne, tel qu'il figure sur les inscriptions. Sites des "
                "inscriptions : %(sites)s."
            ) % {"sites": ", ".join(known_sites)}


class AgentCreateForm(AgentRoleForm):
    field_order = ["email", "last_name", "first_name", "role", "sites", "password"]
    email = forms.EmailField(label=_("Adresse e-mail (identifiant)"))
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    password = forms.CharField(
        label=_("Mot de passe initial"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Obligatoire si cette adresse n'a pas encore de compte ; à transmettre à l'agent."
        ),
    )

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            candidate = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned
