"""The provider's configuration form: options are written, never shown back in full (the
current ones appear masked; a key left out keeps its value)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.core.generic_bases import ModelForm

from .models import ProviderConfig


class ProviderConfigForm(ModelForm):
    new_options = forms.JSONField(
        label=_("options à modifier (JSON)"),
        required=False,
        help_text=_(
            "Seules les clés indiquées sont remplacées ; les secrets actuels ne sont jamais "
            "réaffichés."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = ProviderConfig
        # The town and the régie are added by the admin when it builds the form (a scoped
        # queryset cannot be evaluated at import time).
        fields = ["backend", "is_active"]

    def clean_new_options(self) -> dict[str, Any]:
        value = self.cleaned_data.get("new_options") or {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Un objet JSON est attendu : {"clé": "valeur"}.'))
        return value

    def save(self, commit: bool = True) -> ProviderConfig:
        config: ProviderConfig = super().save(commit=False)
        config.options = {**(config.options or {}), **self.cleaned_data.get("new_options", {})}
        if commit:
            config.save()
        return config
