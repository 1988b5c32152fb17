"""Administrators' forms for the town's agents (create, change the role and sites)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from espacefamille.accounts.models import AgentRoleKind, User, normalize_email
from espacefamille.catalog.models import Site
from espacefamille.catalog.sites import sites_to_choose
from espacefamille.core.form_fields import ModelMultipleChoiceField


class AgentRoleForm(forms.Form):
    """The role and, for a facilitator, the sites (chosen from the town's list)."""

    required_css_class = "required"
    role = forms.ChoiceField(
        label=_("Rôle"), choices=AgentRoleKind.choices, widget=forms.RadioSelect
    )
    sites = ModelMultipleChoiceField(
        label=_("Sites (animateurs)"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Les sites dont l'animateur voit les enfants ; la liste se configure sous "
            "Configuration > Sites."
        ),
    )

    def __init__(self, *args: Any, current_sites: list[Site] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(ModelMultipleChoiceField, self.fields["sites"])
        field.queryset = sites_to_choose(keep=current_sites or [])


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
