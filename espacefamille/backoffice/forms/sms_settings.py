"""The town's SMS settings form (Configuration › SMS): the API key is never rendered back, the
cost of one SMS is typed as French text ("0,045")."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.core.secret_mask import mask
from espacefamille.notifications.models import SmsProviderName, SmsSettings

COST_PATTERN = re.compile(r"^\d{1,2}([.,]\d{1,4})?$")


class SmsSettingsForm(forms.Form):
    required_css_class = "required"

    sender = forms.CharField(
        label=_("Nom d'expéditeur"),
        max_length=30,  # the service says why a longer one is refused
        help_text=_(
            "Ce que les téléphones affichent : 11 caractères au plus, lettres sans accent, "
            "chiffres et espaces (par exemple MAIRIE)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    provider = forms.ChoiceField(label=_("Fournisseur"), choices=SmsProviderName.choices)
    api_key = forms.CharField(
        label=_("Clé d'API du fournisseur"),
        required=False,
        max_length=400,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    max_length = forms.IntegerField(
        label=_("Longueur maximale d'un message (caractères)"),
        min_value=1,
        max_value=10000,
        help_text=_("Entre 160 (un SMS) et 918 (six SMS liés) ; un texte plus long est coupé."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    unit_cost = forms.CharField(
        label=_("Coût d'un SMS (€)"),
        max_length=20,
        help_text=_("Le prix facturé par le fournisseur, par exemple 0,045 (4 décimales au plus)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, config: SmsSettings, **kwargs: Any):
        super().__init__(*args, **kwargs)
        key = self.fields["api_key"]
        if config.api_key:
            key.help_text = _("Clé enregistrée : %(mask)s. Laissez vide pour la garder.") % {
                "mask": mask(config.api_key)
            }
        else:
            key.help_text = _(
                "Nécessaire pour Brevo. Valeur secrète : elle ne sera plus jamais affichée en "
                "entier."
            )
        self.initial.update(
            sender=config.sender,
            provider=config.provider,
            max_length=config.max_length,
            unit_cost=f"{Decimal(config.unit_cost).normalize():f}".replace(".", ","),
        )

    def clean_unit_cost(self) -> Decimal:
        """A price under one euro to the ten-thousandth, typed the French way ("0,045"): the
        cents-only amount parser does not fit a provider's price per SMS."""
        text = self.cleaned_data["unit_cost"].replace("€", "").replace(" ", "").strip()
        if not COST_PATTERN.match(text):
            raise forms.ValidationError(
                _("Saisissez un prix en euros avec 4 décimales au plus, par exemple 0,045."),
                code="invalid",
            )
        return Decimal(text.replace(",", "."))
